import { blobIdHasher, type ChainKeys } from '@sealstream/manifest';
import { type Storage, writeObject } from '@sealstream/storage';
import {
  type CompressChunkOptions,
  encodeChunk,
  fromBytes,
  GearChunker,
  type GearChunkerOptions,
} from '@sealstream/streams';
import { withFile } from '../BackupError.ts';
import { type BlobIndex, blobKey } from './BlobIndex.ts';
import { PackAssembler } from './PackAssembler.ts';
import { packKey } from './packKey.ts';
import { ADOPT_FROM, type CutChunk, StreamCuts } from './StreamCuts.ts';

/** Chunks shorter than this are stored raw (only a file's last chunk, or a small file, is). */
const MIN_COMPRESSED_CHUNK = 1024;

/**
 * Chunks of one stream stored at once, and their bytes at most (one chunk may be larger): its
 * next chunks are cut while the ones before are hashed and compressed on the thread pool.
 */
const IN_FLIGHT_CHUNKS = 4;
const IN_FLIGHT_BYTES = 4 * 1024 * 1024;

/** The place of a chunk id not known yet. */
const EMPTY_ID = new Uint8Array(0);

/** Options of {@link ChunkStore}. */
export interface ChunkStoreOptions {
  /** Where the chain's packs go. */
  storage: Storage;
  /** The chain's directory in storage (its full backup's id). */
  chain: string;
  keys: ChainKeys;
  /** The chain's blobs so far (loaded with `BlobIndex.load`); new blobs are added to it. */
  index: BlobIndex;
  /** A pack is written once it holds this many sealed bytes (default 16 MiB). */
  packBytes?: number;
  /** Chunk sizes (default min 512 KiB, avg 1 MiB, max 8 MiB). */
  chunker?: GearChunkerOptions;
  compression?: CompressChunkOptions;
  /**
   * Packs written at once in the background (default 2: the next pack fills while one is
   * sealed and written). Each pack in flight holds its blobs (about 16 MiB).
   */
  writeConcurrency?: number;
}

/** What {@link ChunkStore.store} made of one stream. */
export interface StoredStream {
  /** The stream's chunk ids, in order. */
  chunks: Uint8Array[];
  /** Its plaintext bytes. */
  size: number;
}

/** What a {@link ChunkStore} wrote. */
export interface ChunkStoreStats {
  /** Chunks seen, and how many of them were already stored (in the chain or in this run). */
  chunks: number;
  deduplicated: number;
  /** Blobs written, their plaintext bytes, and the bytes of the packs written. */
  newBlobs: number;
  newBytes: number;
  packBytes: number;
  packs: number;
}

/** Statistics of nothing written yet. */
export function noChunkStoreStats(): ChunkStoreStats {
  return { chunks: 0, deduplicated: 0, newBlobs: 0, newBytes: 0, packBytes: 0, packs: 0 };
}

/**
 * The write path of collection format v2: cuts streams into keyed content-defined chunks, names
 * each by its chunk id, and stores only chunks the chain does not have yet — compressed,
 * collected into packs of about 16 MiB and sealed there, each under its pack's key for its place
 * (associated data: chain and chunk id), written create-if-absent in the background. Nothing is durable until
 * {@link ChunkStore.finish} resolved.
 *
 * Dedup is within the chain: an unchanged stretch of a file, a renamed file, a file appended to —
 * their chunks are found in the index and not stored again.
 *
 * @example
 * ```ts
 * import { deriveChainKeys } from '@sealstream/manifest';
 * import { memoryStorage } from '@sealstream/storage';
 * import { BlobIndex } from './BlobIndex.ts';
 * import { ChunkStore } from './ChunkStore.ts';
 * const keys = await deriveChainKeys(crypto.getRandomValues(new Uint8Array(32)));
 * const store = new ChunkStore({ storage: memoryStorage(), chain: 'c', keys, index: new BlobIndex() });
 * const { chunks } = await store.store(new Blob(['hello']).stream());
 * await store.finish();
 * console.log(chunks.length, store.stats.newBlobs); // 1 1
 * ```
 */
export class ChunkStore {
  readonly #o: ChunkStoreOptions;
  readonly #idOf: (bytes: Uint8Array) => Promise<Uint8Array>;
  readonly #packer: PackAssembler;
  /** Chunkers between streams, and the size under which a stream is one chunk. */
  readonly #chunkers: GearChunker[] = [];
  readonly #minChunk: number;
  readonly #writeConcurrency: number;
  /** Blobs being compressed or waiting for room (hex ids): a second copy arriving meanwhile is not stored. */
  readonly #sealing = new Set<string>();
  readonly #writes = new Set<Promise<void>>();
  /** The flush running or last run: flushes run one after the other. */
  #flushing: Promise<void> = Promise.resolve();
  #failure: unknown;
  readonly stats: ChunkStoreStats = noChunkStoreStats();

  constructor(options: ChunkStoreOptions) {
    this.#o = options;
    this.#idOf = blobIdHasher(options.keys.chunkId);
    this.#packer = new PackAssembler('data', options.keys);
    const chunker = new GearChunker(options.keys.chunker, options.chunker);
    this.#minChunk = chunker.min;
    this.#writeConcurrency = options.writeConcurrency ?? 2;
    this.#chunkers.push(chunker);
  }

  /**
   * Stores a stream's chunks (those not stored yet) and returns its chunk ids; `onBytes` hears
   * each chunk's plaintext length as it is stored. The chunks are those of `cdcChunker` with the
   * chain's chunker key: a stream of at most `min` bytes (a small file) is one chunk without any
   * chunker work; a longer one is cut by a `GearChunker` kept for reuse (its gear table is derived
   * once per store, not once per file).
   */
  async store(
    stream: ReadableStream<Uint8Array>,
    onBytes?: (n: number) => void,
  ): Promise<StoredStream> {
    const chunks: Uint8Array[] = [];
    let size = 0;
    /** Chunks of this stream being stored (id, compression, packing), oldest first. */
    const adding: Promise<void>[] = [];
    let addingBytes = 0;
    const take = async (chunk: CutChunk): Promise<void> => {
      // Read once: an adopted chunk is its pack's from then on (PackAssembler.adopt), and the
      // list holds ids, not the chunks waiting for theirs.
      const { length } = chunk.bytes;
      const at = chunks.push(EMPTY_ID) - 1;
      addingBytes += length;
      // The next chunks are cut while this one is hashed and compressed (on the thread pool).
      const added = this.#add(chunk.bytes, chunk.roomy).then((id) => {
        chunks[at] = id;
        size += length;
        addingBytes -= length;
        onBytes?.(length);
      });
      added.catch(() => {});
      adding.push(added);
      while (adding.length >= IN_FLIGHT_CHUNKS || addingBytes > IN_FLIGHT_BYTES)
        await adding.shift();
    };
    try {
      await this.#cut(stream, take);
      await Promise.all(adding);
    } catch (e) {
      await Promise.allSettled(adding);
      throw e;
    }
    return { chunks, size };
  }

  /** Cuts `stream` here, handing each chunk to `take` in order. */
  async #cut(
    stream: ReadableStream<Uint8Array>,
    take: (chunk: CutChunk) => Promise<void>,
  ): Promise<void> {
    const cuts = new StreamCuts(
      () => this.#chunkers.pop() ?? new GearChunker(this.#o.keys.chunker, this.#o.chunker),
      this.#minChunk,
    );
    const reader = stream.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (!(value instanceof Uint8Array))
          throw new TypeError('ChunkStore.store: every chunk must be a Uint8Array');
        for (const chunk of cuts.push(value)) await take(chunk);
      }
      for (const chunk of cuts.end()) await take(chunk);
    } catch (e) {
      await reader.cancel(e).catch(() => {});
      throw e;
    } finally {
      const chunker = cuts.release();
      if (chunker !== undefined) this.#chunkers.push(chunker);
    }
  }

  /**
   * Stores `bytes` held whole (a small file read at once): the same chunks and ids as
   * {@link store} gives for a stream of these bytes, without a stream when they are one chunk.
   */
  async storeBytes(bytes: Uint8Array, onBytes?: (n: number) => void): Promise<StoredStream> {
    if (bytes.length === 0) return { chunks: [], size: 0 };
    if (bytes.length > this.#minChunk) return this.store(fromBytes(bytes), onBytes);
    const id = await this.#add(bytes);
    onBytes?.(bytes.length);
    return { chunks: [id], size: bytes.length };
  }

  /**
   * Stores `chunk` unless the chain has it. With `roomy`, the byte before it in its buffer is
   * free and nothing else uses the buffer: a large raw chunk is then adopted by the pack.
   */
  async #add(chunk: Uint8Array, roomy = false): Promise<Uint8Array> {
    if (this.#failure !== undefined) throw this.#failure;
    const { length } = chunk;
    const id = await this.#idOf(chunk);
    const hex = blobKey(id);
    this.stats.chunks++;
    if (this.#o.index.has(id) || this.#packer.has(id) || this.#sealing.has(hex)) {
      this.stats.deduplicated++;
      return id;
    }
    this.#sealing.add(hex);
    try {
      // A chunk this small saves next to nothing, and a compressor costs more to start than to run.
      const encoded = await encodeChunk(
        chunk,
        length < MIN_COMPRESSED_CHUNK ? { codec: 'raw' } : this.#o.compression,
      );
      // A full pack takes no more blobs until its flush (which may wait for a write slot) has
      // emptied it: a pack grows past its size by one chunk at most, however slow the storage.
      while (this.#full()) await this.#flush(false);
      // Sealed when its pack is assembled, under the pack's key for its place in it.
      if (roomy && length >= ADOPT_FROM && encoded.length === 2 && encoded[1] === chunk) {
        const blob = new Uint8Array(chunk.buffer, chunk.byteOffset - 1, 1 + length);
        blob[0] = (encoded[0] as Uint8Array)[0] as number;
        this.#packer.adopt(id, blob, length);
      } else this.#packer.add(id, encoded, length);
    } finally {
      this.#sealing.delete(hex);
    }
    this.stats.newBlobs++;
    this.stats.newBytes += length;
    if (this.#full()) await this.#flush(false);
    return id;
  }

  #full(): boolean {
    return this.#packer.bytes >= (this.#o.packBytes ?? 16 * 1024 * 1024);
  }

  /**
   * Assembles the open pack — once full, or with `all` whatever it holds — and writes it in the
   * background, after waiting while too many writes are in flight. Flushes run one after the
   * other: several files' chunks can fill the pack at once, and the first flush takes what each
   * of them added; the next one finds the pack filling again, not full, and leaves it.
   */
  #flush(all: boolean): Promise<void> {
    const run = this.#flushing.then(() => this.#flushNow(all));
    this.#flushing = run.catch(() => {});
    return run;
  }

  async #flushNow(all: boolean): Promise<void> {
    while (this.#writes.size >= this.#writeConcurrency) await Promise.race(this.#writes);
    if (this.#packer.count === 0 || !(all || this.#full())) return;
    const { packId, index, size, readable } = await this.#packer.assemble();
    const key = packKey(this.#o.chain, packId);
    // Indexed now, while being written: a later chunk with one of its ids is not stored again.
    // Should the write fail, the backup fails (#failure), so nothing committed can rely on it.
    this.#o.index.addPack(key, 'data', index);
    const write = writeObject(this.#o.storage, key, readable, { ifAbsent: true, size }).then(
      () => {
        this.stats.packs++;
        this.stats.packBytes += size;
      },
      (e: unknown) => {
        this.#failure ??= withFile(e, key);
      },
    );
    const tracked = write.finally(() => this.#writes.delete(tracked));
    this.#writes.add(tracked);
  }

  /** Writes the last pack and waits for every pack write; rejects with the first failure. */
  async finish(): Promise<void> {
    await this.#flush(true);
    await Promise.all(this.#writes);
    if (this.#failure !== undefined) throw this.#failure;
  }
}
