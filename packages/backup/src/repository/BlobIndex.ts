import {
  type ChainKeys,
  openPackIndex,
  PACK_TRAILER_BYTES,
  type PackedBlob,
  type PackKind,
  packIndexRange,
} from '@sealstream/manifest';
import { readObject, type Storage } from '@sealstream/storage';
import { withFile } from '../BackupError.ts';
import { mapConcurrent } from '../mapConcurrent.ts';
import { PackRangeCache } from './PackRangeCache.ts';
import { packIdOf } from './packKey.ts';

const HEX_DIGITS = new TextEncoder().encode('0123456789abcdef');
const latin1 = new TextDecoder('latin1');

/**
 * A blob id as lowercase hex in one flat string: the key of the maps of blobs. (A hex string
 * built by `+=` is a rope of about three heap objects per byte; kept as a map key for each of
 * 100,000 blobs, such ropes held over 100 MB.)
 */
export function blobKey(id: Uint8Array): string {
  const out = new Uint8Array(id.length * 2);
  for (let i = 0; i < id.length; i++) {
    const b = id[i] as number;
    out[2 * i] = HEX_DIGITS[b >> 4] as number;
    out[2 * i + 1] = HEX_DIGITS[b & 15] as number;
  }
  return latin1.decode(out);
}

/** Where a blob is: its pack (storage key), its kind, and its place and lengths in the pack. */
export interface BlobLocation {
  pack: string;
  kind: PackKind;
  offset: number;
  sealedLength: number;
  plainLength: number;
}

/**
 * The blobs of a chain by id (hex): what deduplication asks ("is this chunk stored?") and what a
 * reader asks ("where is it?"). Built from the packs written in this run, and loaded from the
 * indexes at the end of the chain's packs — the packs alone are enough to rebuild it.
 *
 * @example
 * ```ts
 * import { BlobIndex } from './BlobIndex.ts';
 * const index = new BlobIndex();
 * index.addPack('c/packs/ab/ab…', 'data', [{ id: new Uint8Array(32), offset: 0, sealedLength: 120, plainLength: 20 }]);
 * console.log(index.size, index.has(new Uint8Array(32))); // 1 true
 * ```
 */
export class BlobIndex {
  readonly #blobs = new Map<string, BlobLocation>();
  /** Where each pack's blobs end (its sealed index starts there). */
  readonly #packEnds = new Map<string, number>();
  /** Windows of this chain's packs read lately (see {@link PackRangeCache}). */
  readonly reads = new PackRangeCache();

  /** Blobs known. */
  get size(): number {
    return this.#blobs.size;
  }

  has(id: Uint8Array): boolean {
    return this.#blobs.has(blobKey(id));
  }

  get(id: Uint8Array): BlobLocation | undefined {
    return this.#blobs.get(blobKey(id));
  }

  /** Every blob known, as (hex id, location). */
  entries(): IterableIterator<[string, BlobLocation]> {
    return this.#blobs.entries();
  }

  /** Records every blob of a pack (the first location of a blob stored twice is kept). */
  addPack(pack: string, kind: PackKind, blobs: readonly PackedBlob[]): void {
    let end = this.#packEnds.get(pack) ?? 0;
    for (const b of blobs) {
      end = Math.max(end, b.offset + b.sealedLength);
      const key = blobKey(b.id);
      if (!this.#blobs.has(key))
        this.#blobs.set(key, {
          pack,
          kind,
          offset: b.offset,
          sealedLength: b.sealedLength,
          plainLength: b.plainLength,
        });
    }
    this.#packEnds.set(pack, end);
  }

  /** Where the blobs of `pack` end, as its index records them (undefined for an unknown pack). */
  packEnd(pack: string): number | undefined {
    return this.#packEnds.get(pack);
  }

  /**
   * Loads the index of every pack of `chain` in `storage`, reading only each pack's tail (its
   * trailer, then its sealed index), `concurrency` packs at a time. A pack whose index fails to
   * authenticate or validate fails the load with a typed error naming it.
   */
  static async load(
    storage: Storage,
    chain: string,
    keys: ChainKeys,
    options: { concurrency?: number } = {},
  ): Promise<BlobIndex> {
    const index = new BlobIndex();
    const packs: { key: string; size: number; packId: string }[] = [];
    for await (const o of storage.list(`${chain}/packs/`)) {
      const packId = packIdOf(chain, o.key);
      if (packId !== undefined) packs.push({ key: o.key, size: o.size, packId });
    }
    await mapConcurrent(packs, options.concurrency ?? 8, async ({ key, size, packId }) => {
      try {
        const trailer = await readObject(storage, key, {
          start: Math.max(0, size - PACK_TRAILER_BYTES),
          end: size,
        });
        const range = packIndexRange(trailer, size, key);
        const sealed = await readObject(storage, key, range);
        const { kind, blobs } = await openPackIndex(keys.meta, keys.chainId, packId, sealed, {
          blobsEnd: range.start,
          file: key,
        });
        index.addPack(key, kind, blobs);
      } catch (e) {
        throw withFile(e, key);
      }
    });
    return index;
  }
}
