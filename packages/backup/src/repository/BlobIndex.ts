import {
  type ChainKeys,
  openPackIndex,
  PACK_TRAILER_BYTES,
  type PackedBlob,
  type PackKind,
  packIndexRange,
} from '@sealstream/manifest';
import { readObject, type Storage } from '@sealstream/storage';
import { BackupError, withFile } from '../BackupError.ts';
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

/** Bytes of a blob id. */
const ID_BYTES = 32;
/** Largest length or offset field the compact table keeps (a pack index saying more is corrupt). */
const MAX_U32 = 0xffff_ffff;

/**
 * The blobs of a chain by id: what deduplication asks ("is this chunk stored?") and what a
 * reader asks ("where is it?"). Built from the packs written in this run, and loaded from the
 * indexes at the end of the chain's packs — the packs alone are enough to rebuild it.
 *
 * It holds one entry per blob of the chain, so it is the one structure of a backup that grows
 * with the number of files: entries live in typed arrays (the 32-byte id, a pack number, offset
 * and lengths: 52 bytes) found through an open-addressing table of entry numbers (4 bytes per
 * slot, at most half full), about 80 bytes a blob where a Map of hex strings to objects took
 * about 250.
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
  /** Entry i: id at ids[32i, 32i+32), its pack number, offset and lengths. */
  #ids = new Uint8Array(0);
  #pack = new Uint32Array(0);
  #offset = new Float64Array(0);
  #sealedLength = new Uint32Array(0);
  #plainLength = new Uint32Array(0);
  #count = 0;
  /** Open addressing (linear probing): entry number + 1 per slot, 0 for an empty slot. */
  #slots = new Uint32Array(0);
  /** Windows of this chain's packs read lately (see {@link PackRangeCache}). */
  readonly reads = new PackRangeCache();

  /** Blobs known. */
  get size(): number {
    return this.#count;
  }

  has(id: Uint8Array): boolean {
    return this.#find(id) >= 0;
  }

  get(id: Uint8Array): BlobLocation | undefined {
    const i = this.#find(id);
    return i < 0 ? undefined : this.#location(i);
  }

  /** Every blob known, as (hex id, location). */
  *entries(): IterableIterator<[string, BlobLocation]> {
    for (let i = 0; i < this.#count; i++)
      yield [blobKey(this.#ids.subarray(i * ID_BYTES, (i + 1) * ID_BYTES)), this.#location(i)];
  }

  /** Records every blob of a pack (the first location of a blob stored twice is kept). */
  addPack(pack: string, kind: PackKind, blobs: readonly PackedBlob[]): void {
    let number = this.#packNumbers.get(pack);
    if (number === undefined) {
      number = this.#packs.length;
      this.#packs.push({ key: pack, kind });
      this.#packNumbers.set(pack, number);
    }
    let end = this.#packEnds.get(pack) ?? 0;
    for (const b of blobs) {
      if (b.id.length !== ID_BYTES)
        throw new RangeError(`BlobIndex: a blob id is ${ID_BYTES} bytes, received ${b.id.length}`);
      if (b.sealedLength > MAX_U32 || b.plainLength > MAX_U32)
        throw new BackupError('ERR_BACKUP_CORRUPT', `${pack} lists a blob of over 4 GiB`);
      end = Math.max(end, b.offset + b.sealedLength);
      if (this.#find(b.id) >= 0) continue;
      this.#add(b, number);
    }
    this.#packEnds.set(pack, end);
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

  /** The entry number of `id`, or −1. */
  #find(id: Uint8Array): number {
    if (id.length !== ID_BYTES || this.#count === 0) return -1;
    const mask = this.#slots.length - 1;
    for (let s = hashOf(id) & mask; ; s = (s + 1) & mask) {
      const e = this.#slots[s] as number;
      if (e === 0) return -1;
      if (this.#idEquals(e - 1, id)) return e - 1;
    }
  }

  #idEquals(i: number, id: Uint8Array): boolean {
    const ids = this.#ids;
    const base = i * ID_BYTES;
    for (let k = 0; k < ID_BYTES; k++) if (ids[base + k] !== id[k]) return false;
    return true;
  }

  #add(b: PackedBlob, pack: number): void {
    if (this.#count === this.#pack.length) this.#growEntries();
    if (2 * (this.#count + 1) > this.#slots.length) this.#growSlots();
    const i = this.#count++;
    this.#ids.set(b.id, i * ID_BYTES);
    this.#pack[i] = pack;
    this.#offset[i] = b.offset;
    this.#sealedLength[i] = b.sealedLength;
    this.#plainLength[i] = b.plainLength;
    this.#place(i);
  }

  #place(i: number): void {
    const mask = this.#slots.length - 1;
    let s = hashOf(this.#ids.subarray(i * ID_BYTES, (i + 1) * ID_BYTES)) & mask;
    while (this.#slots[s] !== 0) s = (s + 1) & mask;
    this.#slots[s] = i + 1;
  }

  #growEntries(): void {
    const capacity = Math.max(1024, this.#pack.length * 2);
    const ids = new Uint8Array(capacity * ID_BYTES);
    ids.set(this.#ids);
    this.#ids = ids;
    this.#pack = grown(this.#pack, new Uint32Array(capacity));
    this.#offset = grown(this.#offset, new Float64Array(capacity));
    this.#sealedLength = grown(this.#sealedLength, new Uint32Array(capacity));
    this.#plainLength = grown(this.#plainLength, new Uint32Array(capacity));
  }

  #growSlots(): void {
    this.#slots = new Uint32Array(Math.max(2048, this.#slots.length * 2));
    for (let i = 0; i < this.#count; i++) this.#place(i);
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

/** The first four bytes of an id, a keyed MAC's output and so uniformly spread. */
function hashOf(id: Uint8Array): number {
  return (
    ((id[0] as number) |
      ((id[1] as number) << 8) |
      ((id[2] as number) << 16) |
      ((id[3] as number) << 24)) >>>
    0
  );
}

function grown<T extends Uint32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
