import { decrypt, encrypt } from '@sealstream/aead';
import { SealstreamError } from '@sealstream/streams';
import { ManifestError } from './ManifestError.ts';
import { PACK_BLOB_OVERHEAD } from './packCipher.ts';
import { sealedAssociatedData } from './sealedKinds.ts';

/** What the blobs of a pack are: compressed chunks, or tree objects. */
export type PackKind = 'data' | 'tree';

/** One blob of a pack, as its index lists it. */
export interface PackedBlob {
  /** The blob's id (chunk id or tree id): 32 bytes. */
  id: Uint8Array;
  /** Where its sealed bytes start in the pack. */
  offset: number;
  /** Length of its sealed bytes. */
  sealedLength: number;
  /** Length of its plaintext (the encoded chunk, or the encoded tree). */
  plainLength: number;
}

/** A pack's index: the kind of its blobs and each blob, in pack order. */
export interface PackIndex {
  kind: PackKind;
  blobs: PackedBlob[];
}

/**
 * A pack index as columns, without an object per blob (a pack of small files lists over
 * 100,000): blob i has the id `ids[32i .. 32i + 32)` and `offsets[i]`, `sealedLengths[i]`,
 * `plainLengths[i]`. Encoded and sealed like a {@link PackIndex} of the same blobs.
 *
 * @example
 * ```ts
 * import { encodePackIndex, type PackIndexColumns } from '@sealstream/manifest';
 * const columns: PackIndexColumns = {
 *   kind: 'data',
 *   ids: new Uint8Array(32),
 *   offsets: Uint32Array.of(0),
 *   sealedLengths: Uint32Array.of(120),
 *   plainLengths: Uint32Array.of(20),
 * };
 * console.log(encodePackIndex(columns).length); // 50
 * ```
 */
export interface PackIndexColumns {
  kind: PackKind;
  ids: Uint8Array;
  offsets: Uint32Array;
  sealedLengths: Uint32Array;
  plainLengths: Uint32Array;
}

/** Blob i of an index, in either form. */
interface Entries {
  count: number;
  id(i: number): Uint8Array;
  offset(i: number): number;
  sealedLength(i: number): number;
  plainLength(i: number): number;
}

function entriesOf(index: PackIndex | PackIndexColumns): Entries | undefined {
  if ('blobs' in index) {
    const blobs = index.blobs;
    if (!Array.isArray(blobs)) return undefined;
    const at = (i: number) => blobs[i] as PackedBlob;
    return {
      count: blobs.length,
      id: (i) => at(i).id,
      offset: (i) => at(i).offset,
      sealedLength: (i) => at(i).sealedLength,
      plainLength: (i) => at(i).plainLength,
    };
  }
  const { ids, offsets, sealedLengths, plainLengths } = index;
  const n = offsets?.length;
  if (
    !(ids instanceof Uint8Array) ||
    !(offsets instanceof Uint32Array) ||
    !(sealedLengths instanceof Uint32Array) ||
    !(plainLengths instanceof Uint32Array) ||
    ids.length !== 32 * n ||
    sealedLengths.length !== n ||
    plainLengths.length !== n
  )
    return undefined;
  return {
    count: n,
    id: (i) => ids.subarray(32 * i, 32 * i + 32),
    offset: (i) => offsets[i] as number,
    sealedLength: (i) => sealedLengths[i] as number,
    plainLength: (i) => plainLengths[i] as number,
  };
}

const VERSION = 1;
const KIND_BYTES: Record<PackKind, number> = { data: 1, tree: 2 };
const HEADER_BYTES = 6;
const ENTRY_BYTES = 32 + 4 + 4 + 4;
/** The last bytes of every pack: the sealed index's length, then this magic. */
export const PACK_MAGIC = new Uint8Array([0x89, 0x53, 0x50, 0x41, 0x43, 0x4b, 0x0d, 0x0a]);
/** Length of a pack's trailer: uint32 sealed-index length ‖ {@link PACK_MAGIC}. */
export const PACK_TRAILER_BYTES = 4 + PACK_MAGIC.length;
/** Most blobs one pack may hold (a 16 MiB pack of 512-byte blobs stays far below). */
export const MAX_PACK_BLOBS = 1 << 20;

/**
 * Encodes a pack index (docs/COLLECTION-FORMAT-V2.md §4):
 * `version (1) ‖ kind (1) ‖ count (uint32) ‖ count × (id (32) ‖ offset ‖ sealed length ‖ plain length (uint32 each))`.
 * The blobs must be contiguous from offset 0, in order, with distinct ids.
 *
 * @example
 * ```ts
 * import { encodePackIndex } from '@sealstream/manifest';
 * const bytes = encodePackIndex({ kind: 'data', blobs: [{ id: new Uint8Array(32), offset: 0, sealedLength: 120, plainLength: 20 }] });
 * console.log(bytes.length); // 50
 * ```
 */
export function encodePackIndex(index: PackIndex | PackIndexColumns): Uint8Array {
  const blobs = checkIndex(index, (why) => new TypeError(`encodePackIndex: ${why}`));
  const out = new Uint8Array(HEADER_BYTES + blobs.count * ENTRY_BYTES);
  const view = new DataView(out.buffer);
  out[0] = VERSION;
  out[1] = KIND_BYTES[index.kind];
  view.setUint32(2, blobs.count);
  let at = HEADER_BYTES;
  for (let i = 0; i < blobs.count; i++) {
    out.set(blobs.id(i), at);
    view.setUint32(at + 32, blobs.offset(i));
    view.setUint32(at + 36, blobs.sealedLength(i));
    view.setUint32(at + 40, blobs.plainLength(i));
    at += ENTRY_BYTES;
  }
  return out;
}

/**
 * Decodes and strictly validates a pack index. `blobsEnd`, when given, is where the pack's blobs
 * end (the sealed index's offset): the last blob must end exactly there. Every failure is a
 * {@link ManifestError} `ERR_MANIFEST_INVALID` (or `ERR_MANIFEST_UNSUPPORTED_VERSION`) naming
 * `file`. {@link decodePackIndexColumns} decodes the same into columns.
 */
export function decodePackIndex(
  bytes: Uint8Array,
  where: { file?: string; blobsEnd?: number } = {},
): PackIndex {
  return packIndexOf(decodePackIndexColumns(bytes, where));
}

/**
 * {@link decodePackIndex} into {@link PackIndexColumns}: the same checks and errors, without an
 * object per blob (an index of a pack of small files lists over 100,000).
 *
 * @example
 * ```ts
 * import { decodePackIndexColumns, encodePackIndex } from '@sealstream/manifest';
 * const blob = { id: new Uint8Array(32), offset: 0, sealedLength: 120, plainLength: 20 };
 * const bytes = encodePackIndex({ kind: 'data', blobs: [blob] });
 * console.log(decodePackIndexColumns(bytes, { blobsEnd: 120 }).sealedLengths); // Uint32Array(1) [ 120 ]
 * ```
 */
export function decodePackIndexColumns(
  bytes: Uint8Array,
  where: { file?: string; blobsEnd?: number } = {},
): PackIndexColumns {
  const fail = (why: string) =>
    new ManifestError(
      'ERR_MANIFEST_INVALID',
      `pack index: ${why}`,
      where.file ? { file: where.file } : {},
    );
  if (bytes.length < HEADER_BYTES) throw fail('shorter than its header');
  if (bytes[0] !== VERSION) {
    throw new ManifestError(
      'ERR_MANIFEST_UNSUPPORTED_VERSION',
      `pack index version ${bytes[0]} is not supported (this build reads version ${VERSION})`,
      where.file ? { file: where.file } : {},
    );
  }
  const kind = (Object.keys(KIND_BYTES) as PackKind[]).find((k) => KIND_BYTES[k] === bytes[1]);
  if (kind === undefined) throw fail(`unknown blob kind ${bytes[1]}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(2);
  if (count > MAX_PACK_BLOBS) throw fail(`${count} blobs is more than ${MAX_PACK_BLOBS}`);
  if (bytes.length !== HEADER_BYTES + count * ENTRY_BYTES)
    throw fail(`${bytes.length} bytes do not hold exactly ${count} entries`);
  const index: PackIndexColumns = {
    kind,
    ids: new Uint8Array(32 * count),
    offsets: new Uint32Array(count),
    sealedLengths: new Uint32Array(count),
    plainLengths: new Uint32Array(count),
  };
  for (let i = 0, at = HEADER_BYTES; i < count; i++, at += ENTRY_BYTES) {
    index.ids.set(bytes.subarray(at, at + 32), 32 * i);
    index.offsets[i] = view.getUint32(at + 32);
    index.sealedLengths[i] = view.getUint32(at + 36);
    index.plainLengths[i] = view.getUint32(at + 40);
  }
  checkIndex(index, fail);
  if (where.blobsEnd !== undefined) {
    const end = (index.offsets[count - 1] as number) + (index.sealedLengths[count - 1] as number);
    if (end !== where.blobsEnd)
      throw fail(`its blobs end at ${end}, but the index starts at ${where.blobsEnd}`);
  }
  return index;
}

/** The blobs of index columns, an object each (each id a copy of its own). */
function packIndexOf(index: PackIndexColumns): PackIndex {
  const { kind, ids, offsets, sealedLengths, plainLengths } = index;
  const blobs = Array.from(offsets, (offset, i) => ({
    id: ids.slice(32 * i, 32 * i + 32),
    offset,
    sealedLength: sealedLengths[i] as number,
    plainLength: plainLengths[i] as number,
  }));
  return { kind, blobs };
}

function checkIndex(index: PackIndex | PackIndexColumns, fail: (why: string) => Error): Entries {
  if (index === null || typeof index !== 'object') throw fail('not an index');
  if (!(index.kind in KIND_BYTES))
    throw fail(`kind must be data or tree, not ${String(index.kind)}`);
  const blobs = entriesOf(index);
  if (blobs === undefined)
    throw fail('blobs must be an array, or columns of 32-byte ids and uint32 arrays of one length');
  if (blobs.count === 0) throw fail('a pack holds at least one blob');
  if (blobs.count > MAX_PACK_BLOBS) throw fail(`more than ${MAX_PACK_BLOBS} blobs`);
  const repeated = repeatedIds();
  let expected = 0;
  for (let i = 0; i < blobs.count; i++) {
    const id = blobs.id(i);
    const [offset, sealedLength] = [blobs.offset(i), blobs.sealedLength(i)];
    if (!(id instanceof Uint8Array) || id.length !== 32)
      throw fail(`blob ${i}: id must be 32 bytes`);
    if (repeated(id)) throw fail(`blob ${i}: id repeats an earlier blob's`);
    if (!isUint32(offset)) throw fail(`blob ${i}: offset out of range`);
    if (!isUint32(sealedLength)) throw fail(`blob ${i}: sealedLength out of range`);
    if (!isUint32(blobs.plainLength(i))) throw fail(`blob ${i}: plainLength out of range`);
    if (offset !== expected)
      throw fail(`blob ${i} starts at ${offset}, not where the one before ends (${expected})`);
    if (sealedLength <= PACK_BLOB_OVERHEAD) throw fail(`blob ${i} is empty`);
    expected = offset + sealedLength;
    if (expected > 0xffffffff) throw fail('the blobs pass 4 GiB');
  }
  return blobs;
}

function isUint32(v: number): boolean {
  return Number.isInteger(v) && v >= 0 && v <= 0xffffffff;
}

/**
 * A check that answers whether a 32-byte id was seen before. Ids are keyed MACs, so their first
 * six bytes (a number) almost always tell them apart; only ids sharing those bytes are compared
 * whole, through one-char-per-byte strings.
 */
function repeatedIds(): (id: Uint8Array) => boolean {
  const byPrefix = new Map<number, Uint8Array>();
  let whole: Set<string> | undefined;
  const text = (id: Uint8Array) => String.fromCharCode(...id);
  return (id) => {
    const prefix =
      (id[0] as number) +
      (id[1] as number) * 0x100 +
      (id[2] as number) * 0x10000 +
      (id[3] as number) * 0x1000000 +
      ((id[4] as number) + (id[5] as number) * 0x100) * 0x100000000;
    const first = byPrefix.get(prefix);
    if (first === undefined) {
      byPrefix.set(prefix, id);
      return false;
    }
    // The same prefix: a repeat of the first id with it, or of a later one (kept whole).
    whole ??= new Set();
    const t = text(id);
    if (t === text(first) || whole.has(t)) return true;
    whole.add(t);
    return false;
  };
}

/**
 * Seals a pack index with the chain's meta key (stream format, associated data
 * `packIndex(chainId, packId)`) and appends the trailer: the bytes that end a pack after its
 * blobs.
 *
 * @example
 * ```ts
 * import { deriveChainKeys, PACK_TRAILER_BYTES, sealPackIndex } from '@sealstream/manifest';
 * const keys = await deriveChainKeys(crypto.getRandomValues(new Uint8Array(32)));
 * const tail = await sealPackIndex(keys.meta, keys.chainId, 'ab'.repeat(16), {
 *   kind: 'tree', blobs: [{ id: new Uint8Array(32), offset: 0, sealedLength: 150, plainLength: 50 }],
 * });
 * console.log(tail.length > PACK_TRAILER_BYTES); // true
 * ```
 */
export async function sealPackIndex(
  metaKey: Uint8Array,
  chainId: string,
  packId: string,
  index: PackIndex | PackIndexColumns,
): Promise<Uint8Array> {
  const sealed = await encrypt(metaKey, encodePackIndex(index), {
    associatedData: sealedAssociatedData('packIndex', [chainId, packId]),
  });
  const out = new Uint8Array(sealed.length + PACK_TRAILER_BYTES);
  out.set(sealed);
  new DataView(out.buffer).setUint32(sealed.length, sealed.length);
  out.set(PACK_MAGIC, sealed.length + 4);
  return out;
}

/**
 * Where a pack's sealed index is, from the pack's last {@link PACK_TRAILER_BYTES} bytes and its
 * size: `{ start, end }` byte offsets, to be read and given to {@link openPackIndex}. A trailer
 * without the magic, or an index that cannot fit, is `ERR_MANIFEST_INVALID`.
 */
export function packIndexRange(
  trailer: Uint8Array,
  packSize: number,
  file?: string,
): { start: number; end: number } {
  const fail = (why: string) =>
    new ManifestError('ERR_MANIFEST_INVALID', `pack trailer: ${why}`, file ? { file } : {});
  if (trailer.length !== PACK_TRAILER_BYTES) throw fail(`must be ${PACK_TRAILER_BYTES} bytes`);
  for (let i = 0; i < PACK_MAGIC.length; i++)
    if (trailer[4 + i] !== PACK_MAGIC[i]) throw fail('no pack magic: not a sealstream pack');
  const length = new DataView(trailer.buffer, trailer.byteOffset, 4).getUint32(0);
  const end = packSize - PACK_TRAILER_BYTES;
  if (length === 0 || length > end) throw fail(`an index of ${length} bytes does not fit`);
  return { start: end - length, end };
}

/**
 * Opens a pack's sealed index (the bytes {@link packIndexRange} located) and validates it against
 * the pack: its blobs must end exactly where the index starts. A wrong key, another chain or
 * another pack's index fails authentication with the stream format's code, re-raised with `file`.
 */
export async function openPackIndex(
  metaKey: Uint8Array,
  chainId: string,
  packId: string,
  sealed: Uint8Array,
  where: { blobsEnd: number; file?: string },
): Promise<PackIndex> {
  return packIndexOf(await openPackIndexColumns(metaKey, chainId, packId, sealed, where));
}

/** {@link openPackIndex} into {@link PackIndexColumns} (no object per blob). */
export async function openPackIndexColumns(
  metaKey: Uint8Array,
  chainId: string,
  packId: string,
  sealed: Uint8Array,
  where: { blobsEnd: number; file?: string },
): Promise<PackIndexColumns> {
  let plain: Uint8Array;
  try {
    plain = await decrypt(metaKey, sealed, {
      associatedData: sealedAssociatedData('packIndex', [chainId, packId]),
    });
  } catch (e) {
    if (e instanceof SealstreamError)
      throw new ManifestError(e.code, `pack index: ${e.message}`, {
        ...(where.file ? { file: where.file } : {}),
        cause: e,
      });
    throw e;
  }
  return decodePackIndexColumns(plain, where);
}
