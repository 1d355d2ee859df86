import type { ChainKeys } from '@sealstream/manifest';
import type { Storage } from '@sealstream/storage';
import type { CompressChunkOptions, GearChunkerOptions } from '@sealstream/streams';
import type { Collection } from '../Collection.ts';
import { BlobIndex, type BlobLocation } from './BlobIndex.ts';
import { ChunkStore, type ChunkStoreStats, noChunkStoreStats } from './ChunkStore.ts';
import { readChunk, readChunkPieces } from './readChunk.ts';
import { TreeStore } from './TreeStore.ts';

/** Options of {@link ChainPacks.open} for a writer. */
export interface ChainWriteOptions {
  chunker?: GearChunkerOptions;
  compression?: CompressChunkOptions;
  /** Data pack size (default 16 MiB). */
  packBytes?: number;
}

/**
 * The packs of one chain in every locality of a collection: one blob index per locality (loaded
 * from that locality's packs), the chain's trees (always in the default locality), and for a
 * writer one chunk store per locality. Deduplication is per locality, so a file's bytes never
 * leave the locality they were assigned to; a reader finds a chunk in whichever locality holds it
 * (a chunk id names its plaintext, so every copy is the same bytes).
 *
 * @example
 * ```ts
 * const packs = await ChainPacks.open(collection, full, keys);
 * const tree = await packs.trees.get(rootId);
 * ```
 */
export class ChainPacks {
  readonly #collection: Collection;
  readonly #full: string;
  readonly #keys: ChainKeys;
  readonly #indexes: Map<string, BlobIndex>;
  readonly #write: ChainWriteOptions;
  readonly #stores = new Map<string, ChunkStore>();
  readonly trees: TreeStore;

  private constructor(
    collection: Collection,
    full: string,
    keys: ChainKeys,
    indexes: Map<string, BlobIndex>,
    write: ChainWriteOptions,
  ) {
    this.#collection = collection;
    this.#full = full;
    this.#keys = keys;
    this.#indexes = indexes;
    this.#write = write;
    this.trees = new TreeStore({
      storage: collection.main,
      chain: full,
      keys,
      index: this.index('default'),
    });
  }

  /** A new chain's packs (nothing stored yet). */
  static create(
    collection: Collection,
    full: string,
    keys: ChainKeys,
    write: ChainWriteOptions = {},
  ): ChainPacks {
    return new ChainPacks(collection, full, keys, new Map(), write);
  }

  /**
   * Opens a chain's packs: the index of every pack in every destination given is read and
   * authenticated (only each pack's tail is fetched).
   */
  static async open(
    collection: Collection,
    full: string,
    keys: ChainKeys,
    write: ChainWriteOptions = {},
  ): Promise<ChainPacks> {
    const indexes = new Map<string, BlobIndex>();
    for (const [locality, storage] of collection.destinations)
      indexes.set(locality, await BlobIndex.load(storage, full, keys));
    return new ChainPacks(collection, full, keys, indexes, write);
  }

  /** The blob index of a locality (empty when it has no packs of the chain). */
  index(locality: string): BlobIndex {
    let index = this.#indexes.get(locality);
    if (index === undefined) {
      index = new BlobIndex();
      this.#indexes.set(locality, index);
    }
    return index;
  }

  /** The localities with at least one blob of the chain, and their indexes. */
  indexes(): [string, BlobIndex][] {
    return [...this.#indexes].filter(([, index]) => index.size > 0);
  }

  /** Where a chunk is: the first locality (default first) whose packs hold it. */
  locate(id: Uint8Array): { locality: string; at: BlobLocation } | undefined {
    const first = this.#indexes.get('default')?.get(id);
    if (first?.kind === 'data') return { locality: 'default', at: first };
    for (const [locality, index] of this.#indexes) {
      const at = index.get(id);
      if (at?.kind === 'data') return { locality, at };
    }
    return undefined;
  }

  /** Reads one chunk's plaintext, authenticated, from whichever locality holds it. */
  async readChunk(id: Uint8Array): Promise<Uint8Array> {
    const { storage, index } = this.#holder(id);
    return readChunk(storage, this.#keys, index, id);
  }

  /** {@link readChunk}'s plaintext in pieces, not joined (`readChunkPieces`): for a restore's writes. */
  async readChunkPieces(id: Uint8Array): Promise<Uint8Array[]> {
    const { storage, index } = this.#holder(id);
    return readChunkPieces(storage, this.#keys, index, id);
  }

  /** The storage and blob index of the locality that holds chunk `id` (default: `default`). */
  #holder(id: Uint8Array): { storage: Storage; index: BlobIndex } {
    const found = this.locate(id);
    const locality = found?.locality ?? 'default';
    return {
      storage: this.#collection.storageFor(locality, found?.at.pack),
      index: this.index(locality),
    };
  }

  /** The chunk store of a locality (created on first use; its packs go to that destination). */
  chunks(locality: string): ChunkStore {
    let store = this.#stores.get(locality);
    if (store === undefined) {
      store = new ChunkStore({
        storage: this.#collection.storageFor(locality),
        chain: this.#full,
        keys: this.#keys,
        index: this.index(locality),
        ...this.#write,
      });
      this.#stores.set(locality, store);
    }
    return store;
  }

  /** Whether every chunk is stored in `locality` (an unchanged file may keep them there). */
  hasAll(locality: string, chunks: readonly Uint8Array[]): boolean {
    const index = this.#indexes.get(locality);
    if (index === undefined) return chunks.length === 0;
    return chunks.every((id) => index.get(id)?.kind === 'data');
  }

  /** The localities written to by this run. */
  get written(): string[] {
    return [...this.#stores.keys()];
  }

  /** Statistics of every chunk store, summed. */
  get stats(): ChunkStoreStats {
    const sum = noChunkStoreStats();
    for (const s of this.#stores.values())
      for (const k of Object.keys(sum) as (keyof ChunkStoreStats)[]) sum[k] += s.stats[k];
    return sum;
  }

  /** Writes every open pack (data first, then trees) and waits for all writes. */
  async finish(): Promise<void> {
    const results = await Promise.allSettled([...this.#stores.values()].map((s) => s.finish()));
    const failed = results.find((r) => r.status === 'rejected');
    if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
    await this.trees.finish();
  }
}
