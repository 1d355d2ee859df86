import {
  type ChainKeys,
  openPackIndexColumns,
  PACK_TRAILER_BYTES,
  type PackedBlob,
  type PackIndexColumns,
  type PackKind,
  packIndexRange,
} from '@sealstream/manifest';
import { readObject, type Storage } from '@sealstream/storage';
import { BackupError, withFile } from '../BackupError.ts';
import { mapConcurrent } from '../mapConcurrent.ts';
import { ID_BYTES, IdTable } from './IdTable.ts';
import { grownColumn } from './mappedBuffer.ts';
import { PackCipherCache } from './PackCipherCache.ts';
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

/** Largest length or offset field the compact table keeps (a pack index saying more is corrupt). */
const MAX_U32 = 0xffff_ffff;

/**
 * The blobs of a chain by id: what deduplication asks ("is this chunk stored?") and what a
 * reader asks ("where is it?"). Built from the packs written in this run, and loaded from the
 * indexes at the end of the chain's packs — the packs alone are enough to rebuild it.
 *
 * It holds one entry per blob of the chain, so it is the one structure of a backup that grows
 * with the number of files: entries live in typed arrays (the 32-byte id, a pack number, offset
 * and lengths: 48 bytes; an offset is a uint32 in the format, the blob's nonce) found through an
 * open-addressing table of entry numbers (4 bytes per slot, at most half full), about 56–80
 * bytes a blob where a Map of hex strings to objects took about 250.
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
  /** Packs by number, and numbers by storage key. */
  readonly #packs: { key: string; kind: PackKind }[] = [];
  readonly #packNumbers = new Map<string, number>();
  /** Where each pack's blobs end (its sealed index starts there). */
  readonly #packEnds = new Map<string, number>();
  /** Entry i: its id (number i of `#ids`), its pack number, offset and lengths. */
  readonly #ids = new IdTable();
  #pack = new Uint32Array(0);
  #offset = new Uint32Array(0);
  #sealedLength = new Uint32Array(0);
  #plainLength = new Uint32Array(0);
  /** Windows of this chain's packs read lately (see {@link PackRangeCache}). */
  readonly reads = new PackRangeCache();
  /** The ciphers of this chain's packs read lately. */
  readonly ciphers = new PackCipherCache();

  /** Blobs known. */
  get size(): number {
    return this.#ids.size;
  }

  has(id: Uint8Array): boolean {
    return this.#ids.find(id) >= 0;
  }

  get(id: Uint8Array): BlobLocation | undefined {
    const i = this.#ids.find(id);
    return i < 0 ? undefined : this.#location(i);
  }

  /** Every blob known, as (hex id, location). */
  *entries(): IterableIterator<[string, BlobLocation]> {
    for (let i = 0; i < this.#ids.size; i++) yield [blobKey(this.#ids.id(i)), this.#location(i)];
  }

  /**
   * Records every blob of a pack, listed as objects or as columns (the first location of a blob
   * stored twice is kept).
   */
  addPack(pack: string, kind: PackKind, blobs: readonly PackedBlob[] | PackIndexColumns): void {
    let number = this.#packNumbers.get(pack);
    if (number === undefined) {
      number = this.#packs.length;
      this.#packs.push({ key: pack, kind });
      this.#packNumbers.set(pack, number);
    }
    let end = this.#packEnds.get(pack) ?? 0;
    if ('offsets' in blobs) {
      const { ids, offsets, sealedLengths, plainLengths } = blobs;
      for (let i = 0; i < offsets.length; i++) {
        const id = ids.subarray(32 * i, 32 * i + 32);
        const offset = offsets[i] as number;
        const sealed = sealedLengths[i] as number;
        const plain = plainLengths[i] as number;
        end = Math.max(end, this.#record(pack, number, id, offset, sealed, plain));
      }
    } else
      for (const b of blobs)
        end = Math.max(
          end,
          this.#record(pack, number, b.id, b.offset, b.sealedLength, b.plainLength),
        );
    this.#packEnds.set(pack, end);
  }

  /** Checks one blob of a pack and records it unless known; returns where it ends. */
  #record(
    pack: string,
    number: number,
    id: Uint8Array,
    offset: number,
    sealedLength: number,
    plainLength: number,
  ): number {
    if (id.length !== ID_BYTES)
      throw new RangeError(`BlobIndex: a blob id is ${ID_BYTES} bytes, received ${id.length}`);
    if (sealedLength > MAX_U32 || plainLength > MAX_U32)
      throw new BackupError('ERR_BACKUP_CORRUPT', `${pack} lists a blob of over 4 GiB`);
    if (this.#ids.find(id) < 0) this.#add(id, number, offset, sealedLength, plainLength);
    return offset + sealedLength;
  }

  #location(i: number): BlobLocation {
    const pack = this.#packs[this.#pack[i] as number] as { key: string; kind: PackKind };
    return {
      pack: pack.key,
      kind: pack.kind,
      offset: this.#offset[i] as number,
      sealedLength: this.#sealedLength[i] as number,
      plainLength: this.#plainLength[i] as number,
    };
  }

  #add(
    id: Uint8Array,
    pack: number,
    offset: number,
    sealedLength: number,
    plainLength: number,
  ): void {
    const i = this.#ids.add(id);
    if (i === this.#pack.length) {
      const capacity = Math.max(1024, this.#pack.length * 2);
      this.#pack = grownColumn(this.#pack, capacity);
      this.#offset = grownColumn(this.#offset, capacity);
      this.#sealedLength = grownColumn(this.#sealedLength, capacity);
      this.#plainLength = grownColumn(this.#plainLength, capacity);
    }
    this.#pack[i] = pack;
    this.#offset[i] = offset;
    this.#sealedLength[i] = sealedLength;
    this.#plainLength[i] = plainLength;
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
        const columns = await openPackIndexColumns(keys.meta, keys.chainId, packId, sealed, {
          blobsEnd: range.start,
          file: key,
        });
        index.addPack(key, columns.kind, columns);
      } catch (e) {
        throw withFile(e, key);
      }
    });
    return index;
  }
}
