import {
  type BlobRun,
  type ChainKeys,
  PACK_BLOB_OVERHEAD,
  type PackIndexColumns,
  type PackKind,
  packCipher,
  sealPackIndex,
} from '@sealstream/manifest';
import { encodeHex } from '@sealstream/streams';
import { IdTable } from './IdTable.ts';
import { grownColumn, isMapped, mappedBuffer } from './mappedBuffer.ts';

/** A pack ready to be written: its id, its length, its index (blobs in pack order), its bytes. */
export interface AssembledPack {
  packId: string;
  kind: PackKind;
  /** The pack's length in bytes: its sealed blobs, its sealed index and its trailer. */
  size: number;
  /** Its blobs in pack order, as columns (no object per blob). */
  index: PackIndexColumns;
  /**
   * The pack's bytes, its blobs sealed as they are read, in pieces of about 1 MiB (a larger blob
   * is a piece of its own). Read it once.
   */
  readable: ReadableStream<Uint8Array>;
}

/**
 * Collects blobs of one kind into a pack (docs/COLLECTION-FORMAT-V2.md §4): when it is
 * assembled, the blobs are put in a random order (never the order they came in, which follows
 * the files), each sealed under the pack's own key for its place, followed by the pack's sealed
 * index and trailer. Memory: the blobs' bytes before sealing, held until the assembled pack has
 * been read, and about 60 bytes per blob (its id, lengths and place).
 *
 * @example
 * ```ts
 * import { deriveChainKeys } from '@sealstream/manifest';
 * import { PackAssembler } from './PackAssembler.ts';
 * const keys = await deriveChainKeys(crypto.getRandomValues(new Uint8Array(32)));
 * const packer = new PackAssembler('data', keys);
 * packer.add(new Uint8Array(32).fill(1), new Uint8Array(104), 20);
 * const pack = await packer.assemble();
 * const bytes = new Uint8Array(await new Response(pack.readable).arrayBuffer());
 * console.log(pack.index.offsets.length, bytes.length === pack.size); // 1 true
 * ```
 */
export class PackAssembler {
  readonly kind: PackKind;
  readonly #keys: ChainKeys;
  /**
   * The blobs so far, without an object or a buffer of their own each (a pack of small files
   * holds about 100,000): their bytes to seal copied into slabs (an adopted blob is a slab of its
   * own); blob i's id is number i of `#ids`, and its slab, offset in it, length and plaintext
   * length are at meta[4i, 4i+4).
   */
  #slabs: Uint8Array[] = [];
  /** The slab small blobs are copied into, its place in `#slabs` and its bytes used. */
  #open: Uint8Array | undefined;
  #openAt = 0;
  #slabUsed = 0;
  #ids = new IdTable();
  /** The ids of the pack assembled last, until the next assembly. */
  #assembled = new IdTable();
  #meta = new Uint32Array(0);
  #bytes = 0;

  constructor(kind: PackKind, keys: ChainKeys) {
    this.kind = kind;
    this.#keys = keys;
  }

  /** The pack's blob bytes so far, as sealed (each blob's bytes and its tag). */
  get bytes(): number {
    return this.#bytes;
  }

  /** Blobs collected so far. */
  get count(): number {
    return this.#ids.size;
  }

  /**
   * Whether a blob of this id is in the pack, or in the one assembled last (until the next
   * assembly): a caller that indexes each pack once `assemble` returns finds every blob in one
   * place or the other.
   */
  has(id: Uint8Array): boolean {
    return this.#ids.find(id) >= 0 || this.#assembled.find(id) >= 0;
  }

  /**
   * Adds a blob to seal: `encoded`, the bytes sealed (a compressed chunk, an encoded tree), whole
   * or in pieces (`encodeChunk`'s), which are copied; and `plainLength`, what the index records.
   * Its id must not be in the pack yet.
   */
  add(id: Uint8Array, encoded: Uint8Array | readonly Uint8Array[], plainLength: number): void {
    this.#refuseDuplicate(id);
    const pieces = encoded instanceof Uint8Array ? [encoded] : encoded;
    let length = 0;
    for (const p of pieces) length += p.length;
    let slab = this.#open;
    if (slab === undefined || this.#slabUsed + length > slab.length) {
      slab =
        length <= SLAB_BYTES ? new Uint8Array(mappedBuffer(SLAB_BYTES)) : new Uint8Array(length);
      this.#open = slab;
      this.#openAt = this.#slabs.push(slab) - 1;
      this.#slabUsed = 0;
    }
    this.#record(id, this.#openAt, this.#slabUsed, length, plainLength);
    for (const p of pieces) {
      slab.set(p, this.#slabUsed);
      this.#slabUsed += p.length;
    }
  }

  /**
   * Adds a blob to seal as {@link add} does, keeping `encoded` itself instead of a copy (a large
   * chunk with its codec byte, made for this pack): the caller must not modify it afterwards.
   */
  adopt(id: Uint8Array, encoded: Uint8Array, plainLength: number): void {
    this.#refuseDuplicate(id);
    this.#record(id, this.#slabs.push(encoded) - 1, 0, encoded.length, plainLength);
  }

  #refuseDuplicate(id: Uint8Array): void {
    if (this.#ids.find(id) >= 0)
      throw new RangeError('PackAssembler: that blob is in the pack already');
  }

  /** Records blob `id`: `length` bytes at `start` in slab number `slab`. */
  #record(id: Uint8Array, slab: number, start: number, length: number, plainLength: number): void {
    const i = this.#ids.add(id);
    if ((i + 1) * 4 > this.#meta.length)
      this.#meta = grownColumn(this.#meta, Math.max(4096, this.#meta.length * 2));
    const meta = this.#meta;
    meta[4 * i] = slab;
    meta[4 * i + 1] = start;
    meta[4 * i + 2] = length;
    meta[4 * i + 3] = plainLength;
    this.#bytes += length + PACK_BLOB_OVERHEAD;
  }

  /**
   * Shuffles the blobs, seals the index under a fresh pack id and empties the assembler. The
   * blobs are sealed, each under the pack's key for its offset, as the pack's `readable` is read:
   * the pack is never held whole, only its unsealed blobs (until the stream ends) and a piece or
   * two.
   */
  async assemble(): Promise<AssembledPack> {
    const n = this.#ids.size;
    const order = Uint32Array.from(shuffle(Array.from({ length: n }, (_, i) => i)));
    let slabs: Uint8Array[] | undefined = this.#slabs;
    const ids = this.#ids;
    const meta = this.#meta;
    this.#slabs = [];
    this.#open = undefined;
    this.#slabUsed = 0;
    this.#assembled = ids;
    this.#ids = new IdTable();
    this.#meta = new Uint32Array(0);
    this.#bytes = 0;
    const packId = encodeHex(crypto.getRandomValues(new Uint8Array(16)));
    const sealedLength = (i: number) => (meta[4 * i + 2] as number) + PACK_BLOB_OVERHEAD;
    const index: PackIndexColumns = {
      kind: this.kind,
      ids: new Uint8Array(32 * n),
      offsets: new Uint32Array(n),
      sealedLengths: new Uint32Array(n),
      plainLengths: new Uint32Array(n),
    };
    let offset = 0;
    for (let place = 0; place < n; place++) {
      const i = order[place] as number;
      ids.copyId(i, index.ids, 32 * place);
      index.offsets[place] = offset;
      index.sealedLengths[place] = sealedLength(i);
      index.plainLengths[place] = meta[4 * i + 3] as number;
      offset += sealedLength(i);
    }
    const tail = await sealPackIndex(this.#keys.meta, this.#keys.chainId, packId, index);
    const cipher = await packCipher(this.#keys, this.kind, packId);
    /** The next blob to seal (its place in `order`) and its offset in the pack. */
    let k = 0;
    let at = 0;
    /** Seals the blobs that fit in the next piece (always at least one) in one job. */
    const sealPiece = (from: Uint8Array[]): Promise<Uint8Array> => {
      let end = k;
      let length = 0;
      do length += sealedLength(order[end++] as number);
      while (end < n && length + sealedLength(order[end] as number) <= PIECE_BYTES);
      const count = end - k;
      // One blob (a large chunk) is sealed from its slab (from a copy if the slab is mapped: a Web
      // API may refuse it); several are copied together first.
      const run: BlobRun = {
        ids: index.ids.subarray(32 * k, 32 * end),
        plaintexts: count === 1 ? EMPTY : new Uint8Array(length - PACK_BLOB_OVERHEAD * count),
        lengths: new Uint32Array(count),
      };
      for (let j = 0, o = 0; k < end; k++, j++) {
        const i = order[k] as number;
        const slab = from[meta[4 * i] as number] as Uint8Array;
        const start = meta[4 * i + 1] as number;
        const plaintext = slab.subarray(start, start + (meta[4 * i + 2] as number));
        run.lengths[j] = plaintext.length;
        if (count === 1) run.plaintexts = isMapped(slab) ? plaintext.slice() : plaintext;
        else run.plaintexts.set(plaintext, o);
        o += plaintext.length;
      }
      const piece = new Uint8Array(length);
      const sealed = cipher.sealRun(piece, 0, at, run).then(() => piece);
      at += length;
      return sealed;
    };
    /**
     * Pieces being sealed, oldest first: two at once, so that while a worker thread seals one,
     * the calling thread can seal the next (the engine decides where each runs).
     */
    const sealing: Promise<Uint8Array>[] = [];
    const readable = new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        if (slabs === undefined) return;
        while (sealing.length < PIECES_IN_FLIGHT && k < n) {
          const piece = sealPiece(slabs);
          piece.catch(() => {});
          sealing.push(piece);
        }
        const next = sealing.shift();
        if (next !== undefined) {
          controller.enqueue(await next);
          return;
        }
        controller.enqueue(tail);
        controller.close();
        slabs = undefined;
      },
      cancel: () => {
        slabs = undefined;
      },
    });
    return { packId, kind: this.kind, size: offset + tail.length, index, readable };
  }
}

/** Bytes of the pieces a pack is written in (a larger blob is a piece of its own). */
const PIECE_BYTES = 1024 * 1024;

/** Pieces of a pack sealed at once. */
const PIECES_IN_FLIGHT = 2;

const EMPTY = new Uint8Array(0);

const SLAB_BYTES = 1024 * 1024;

/** getRandomValues fills at most 65,536 bytes per call. */
const RANDOM_WORDS_PER_CALL = 16384;

/** A uniformly random permutation (Fisher–Yates over crypto.getRandomValues). */
export function shuffle<T>(items: readonly T[]): T[] {
  const out = [...items];
  const random = new Uint32Array(out.length);
  for (let i = 0; i < random.length; i += RANDOM_WORDS_PER_CALL)
    crypto.getRandomValues(random.subarray(i, i + RANDOM_WORDS_PER_CALL));
  for (let i = out.length - 1; i > 0; i--) {
    const j = (random[i] as number) % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
