import { ManifestError } from './ManifestError.ts';

/** What a tree entry is. `stream` is a named byte stream (stdin, a program's output). */
export type TreeEntryType = 'file' | 'dir' | 'symlink' | 'stream';

/** One entry of a directory, as a v2 tree object stores it (docs/COLLECTION-FORMAT-V2.md §5). */
export interface TreeEntry {
  /** The entry's name within its directory: no `/`, no NUL, not `.` or `..`, 1–4096 bytes. */
  name: string;
  type: TreeEntryType;
  /** Permission and type bits as `st_mode` holds them (0 when unknown). */
  mode: number;
  uid: number;
  gid: number;
  /** Modification and status-change times, in nanoseconds since the epoch. */
  mtimeNs: bigint;
  ctimeNs: bigint;
  /** Inode and device number at backup time (change detection; 0 when unknown). */
  inode: bigint;
  device: bigint;
  /** Plaintext bytes of a file or stream (0 otherwise). */
  size: bigint;
  /** A file's or stream's chunk ids, in order (32 bytes each). */
  chunks?: Uint8Array[];
  /** A directory's tree id (32 bytes). */
  tree?: Uint8Array;
  /** A symlink's target. */
  target?: string;
  /**
   * A file's number of hard links at backup time, when more than one (absent for 1). The entries
   * of one snapshot with the same `device` and `inode` and `links` are names of one file, which a
   * restore may recreate as hard links.
   */
  links?: number;
  /**
   * Extended attributes (Linux `user.*`, `trusted.*`, `security.*`, `system.*`, where POSIX ACLs
   * live; macOS and BSD names), in strictly increasing order of their names' UTF-8 bytes; absent
   * when there are none.
   */
  xattrs?: ExtendedAttribute[];
}

/** One extended attribute of an entry: its full name (with namespace) and raw value. */
export interface ExtendedAttribute {
  /** 1–255 UTF-8 bytes, no NUL (Linux's `XATTR_NAME_MAX`). */
  name: string;
  /** 0–65,536 bytes (Linux's `XATTR_SIZE_MAX`). */
  value: Uint8Array;
}

/** A tree object: a directory's entries, or (for a large directory) the ranges it is split into. */
export type TreeObject =
  | { kind: 'entries'; entries: TreeEntry[] }
  | { kind: 'ranges'; ranges: TreeRange[] };

/** One range of a large directory: the name its first entry has, its tree id and entry count. */
export interface TreeRange {
  first: string;
  tree: Uint8Array;
  count: number;
}

/** Most entries (or ranges) in one tree object; a larger directory is split into ranges. */
export const MAX_TREE_ITEMS = 10_000;
const VERSION = 1;
const TYPES: readonly TreeEntryType[] = ['file', 'dir', 'symlink', 'stream'];
/** The type byte of a file with more than one hard link: a file's fields, then `links`. */
const LINKED_FILE = 5;
/** Set in the type byte when the entry's extended attributes follow its other fields. */
const HAS_XATTRS = 0x80;
/** Limits of one entry's extended attributes (Linux's XATTR_NAME_MAX and XATTR_SIZE_MAX). */
export const MAX_XATTRS = 1024;
const MAX_XATTR_NAME_BYTES = 255;
const MAX_XATTR_VALUE_BYTES = 65_536;
const MAX_NAME_BYTES = 4096;
const MAX_CHUNKS = 1 << 24;
const MAX_U64 = (1n << 64n) - 1n;
const MIN_I64 = -(1n << 63n);
const MAX_I64 = (1n << 63n) - 1n;

/**
 * Encodes a tree object, deterministically: the same directory always gives the same bytes, so
 * its tree id (HMAC of these bytes) names it. Entries (or ranges) must be sorted by the UTF-8
 * bytes of their names, strictly, and be valid; anything else throws a `TypeError`.
 *
 * @example
 * ```ts
 * import { decodeTree, encodeTree } from '@sealstream/manifest';
 * const bytes = encodeTree({ kind: 'entries', entries: [{ name: 'a', type: 'symlink', mode: 0o120777,
 *   uid: 0, gid: 0, mtimeNs: 0n, ctimeNs: 0n, inode: 0n, device: 0n, size: 0n, target: 'b' }] });
 * console.log(decodeTree(bytes).kind); // 'entries'
 * ```
 */
export function encodeTree(tree: TreeObject): Uint8Array {
  const w = new Writer();
  w.u8(VERSION);
  const fail = (why: string) => new TypeError(`encodeTree: ${why}`);
  let previous: Uint8Array | undefined;
  if (tree.kind === 'entries') {
    checkCount(tree.entries, fail);
    w.u8(1);
    w.u32(tree.entries.length);
    for (const e of tree.entries) {
      previous = w.name(e?.name, previous, fail);
      writeEntry(w, e);
    }
  } else if (tree.kind === 'ranges') {
    checkCount(tree.ranges, fail, 1);
    w.u8(2);
    w.u32(tree.ranges.length);
    for (const r of tree.ranges) {
      if (!(r.tree instanceof Uint8Array) || r.tree.length !== 32)
        throw new TypeError(`encodeTree: range ${r.first}: tree id must be 32 bytes`);
      if (!Number.isInteger(r.count) || r.count < 1 || r.count > MAX_TREE_ITEMS)
        throw new TypeError(`encodeTree: range ${r.first}: count must be 1..${MAX_TREE_ITEMS}`);
      previous = w.name(r.first, previous, fail);
      w.bytes(r.tree);
      w.u32(r.count);
    }
  } else {
    throw new TypeError(`encodeTree: kind must be entries or ranges`);
  }
  return w.finish();
}

/** Writes an entry's fields after its name (one entry of a directory of thousands: no allocation). */
function writeEntry(w: Writer, e: TreeEntry): void {
  const fail = (why: string) => new TypeError(`encodeTree: ${JSON.stringify(e.name)}: ${why}`);
  const t = TYPES.indexOf(e.type);
  if (t < 0) throw fail(`unknown type ${String(e.type)}`);
  if (e.links !== undefined) {
    if (e.type !== 'file') throw fail('only a file has hard links');
    if (!Number.isInteger(e.links) || e.links < 2 || e.links > 0xffffffff)
      throw fail('links must be 2 or more (absent for one)');
  }
  if (e.xattrs !== undefined) checkXattrs(e.xattrs, fail);
  w.u8((e.links === undefined ? t + 1 : LINKED_FILE) | (e.xattrs === undefined ? 0 : HAS_XATTRS));
  w.u32(u32(e.mode, 'mode', fail));
  w.u32(u32(e.uid, 'uid', fail));
  w.u32(u32(e.gid, 'gid', fail));
  w.i64(i64(e.mtimeNs, 'mtimeNs', fail));
  w.i64(i64(e.ctimeNs, 'ctimeNs', fail));
  w.u64(u64(e.inode, 'inode', fail));
  w.u64(u64(e.device, 'device', fail));
  w.u64(u64(e.size, 'size', fail));
  const has = {
    chunks: e.chunks !== undefined,
    tree: e.tree !== undefined,
    target: e.target !== undefined,
  };
  if (e.type === 'file' || e.type === 'stream') {
    if (has.tree || has.target) throw fail('a file holds chunks only');
    const chunks = e.chunks ?? [];
    if (chunks.length > MAX_CHUNKS) throw fail('too many chunks');
    if (chunks.length === 0 && e.size !== 0n) throw fail('a non-empty file needs chunks');
    w.u32(chunks.length);
    for (const c of chunks) {
      if (!(c instanceof Uint8Array) || c.length !== 32) throw fail('a chunk id must be 32 bytes');
      w.bytes(c);
    }
    if (e.links !== undefined) w.u32(e.links);
  } else if (e.type === 'dir') {
    if (has.chunks || has.target || e.size !== 0n) throw fail('a directory holds a tree id only');
    if (!(e.tree instanceof Uint8Array) || e.tree.length !== 32)
      throw fail('tree id must be 32 bytes');
    w.bytes(e.tree);
  } else {
    if (has.chunks || has.tree || e.size !== 0n) throw fail('a symlink holds a target only');
    if (typeof e.target !== 'string' || e.target.length === 0)
      throw fail('a symlink needs a target');
    w.text(e.target);
  }
  if (e.xattrs !== undefined) {
    w.u16(e.xattrs.length);
    for (const x of e.xattrs) {
      w.text(x.name);
      w.u32(x.value.length);
      w.bytes(x.value);
    }
  }
}

function u32(v: number, name: string, fail: (why: string) => Error): number {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw fail(`${name} out of range`);
  return v;
}

function i64(v: bigint, name: string, fail: (why: string) => Error): bigint {
  if (typeof v !== 'bigint' || v < MIN_I64 || v > MAX_I64) throw fail(`${name} out of range`);
  return v;
}

function u64(v: bigint, name: string, fail: (why: string) => Error): bigint {
  if (typeof v !== 'bigint' || v < 0n || v > MAX_U64) throw fail(`${name} out of range`);
  return v;
}

/** 1..MAX_XATTRS attributes with valid names in strictly increasing byte order and bounded values. */
function checkXattrs(xattrs: readonly ExtendedAttribute[], fail: (why: string) => Error): void {
  if (!Array.isArray(xattrs) || xattrs.length < 1 || xattrs.length > MAX_XATTRS)
    throw fail(`an entry holds 1..${MAX_XATTRS} extended attributes (absent for none)`);
  let previous: Uint8Array | undefined;
  for (const x of xattrs) {
    const name = typeof x?.name === 'string' ? encoder.encode(x.name) : new Uint8Array();
    if (name.length === 0 || name.length > MAX_XATTR_NAME_BYTES || name.includes(0))
      throw fail(`${JSON.stringify(x?.name)} is not a valid extended attribute name`);
    if (!(x.value instanceof Uint8Array) || x.value.length > MAX_XATTR_VALUE_BYTES)
      throw fail(`extended attribute ${x.name}: a value of at most ${MAX_XATTR_VALUE_BYTES} bytes`);
    if (previous !== undefined && compareBytes(previous, name) >= 0)
      throw fail(`extended attribute ${x.name} is out of order or repeated`);
    previous = name;
  }
}

/**
 * Decodes and strictly validates a tree object: version, kind, names (valid, strictly
 * increasing), types, ranges of every number, each type's own fields, and nothing left over.
 * Every failure is a {@link ManifestError} `ERR_MANIFEST_INVALID` (an unknown version:
 * `ERR_MANIFEST_UNSUPPORTED_VERSION`) naming `file`.
 */
export function decodeTree(bytes: Uint8Array, file?: string): TreeObject {
  const where = file === undefined ? {} : { file };
  const fail = (why: string) => new ManifestError('ERR_MANIFEST_INVALID', `tree: ${why}`, where);
  const r = new Reader(bytes, fail);
  const version = r.u8();
  if (version !== VERSION)
    throw new ManifestError(
      'ERR_MANIFEST_UNSUPPORTED_VERSION',
      `tree version ${version} is not supported (this build reads version ${VERSION})`,
      where,
    );
  const kind = r.u8();
  const count = r.u32();
  const least = kind === 1 ? 0 : 1;
  if (count < least || count > MAX_TREE_ITEMS)
    throw fail(`${count} items is not ${least}..${MAX_TREE_ITEMS}`);
  let tree: TreeObject;
  if (kind === 1) {
    const entries: TreeEntry[] = [];
    for (let i = 0; i < count; i++) entries.push(readEntry(r, fail));
    tree = { kind: 'entries', entries };
    checkItems(entries, (e) => e.name, fail);
  } else if (kind === 2) {
    const ranges: TreeRange[] = [];
    for (let i = 0; i < count; i++) {
      const first = r.text();
      const id = r.bytes(32);
      const n = r.u32();
      if (n < 1 || n > MAX_TREE_ITEMS) throw fail(`range ${first}: count ${n}`);
      ranges.push({ first, tree: id, count: n });
    }
    tree = { kind: 'ranges', ranges };
    checkItems(ranges, (x) => x.first, fail, 1);
  } else {
    throw fail(`unknown kind ${kind}`);
  }
  if (!r.atEnd()) throw fail('bytes after the last item');
  return tree;
}

function readEntry(r: Reader, fail: (why: string) => Error): TreeEntry {
  const name = r.text();
  const flagged = r.u8();
  const t = flagged & ~HAS_XATTRS;
  const type = t === LINKED_FILE ? 'file' : TYPES[t - 1];
  if (type === undefined) throw fail(`${JSON.stringify(name)}: unknown type ${t}`);
  const e: TreeEntry = {
    name,
    type,
    mode: r.u32(),
    uid: r.u32(),
    gid: r.u32(),
    mtimeNs: r.i64(),
    ctimeNs: r.i64(),
    inode: r.u64(),
    device: r.u64(),
    size: r.u64(),
  };
  if (type === 'file' || type === 'stream') {
    const n = r.u32();
    if (n > MAX_CHUNKS || n * 32 > r.left()) throw fail(`${JSON.stringify(name)}: ${n} chunks`);
    if (n === 0 && e.size !== 0n)
      throw fail(`${JSON.stringify(name)}: a non-empty file without chunks`);
    e.chunks = Array.from({ length: n }, () => r.bytes(32));
    if (t === LINKED_FILE) {
      e.links = r.u32();
      if (e.links < 2)
        throw fail(`${JSON.stringify(name)}: ${e.links} links (type 5 needs 2 or more)`);
    }
  } else if (type === 'dir') {
    if (e.size !== 0n) throw fail(`${JSON.stringify(name)}: a directory with a size`);
    e.tree = r.bytes(32);
  } else {
    if (e.size !== 0n) throw fail(`${JSON.stringify(name)}: a symlink with a size`);
    e.target = r.text();
    if (e.target.length === 0) throw fail(`${JSON.stringify(name)}: an empty link target`);
  }
  if (flagged & HAS_XATTRS) {
    const n = r.u16();
    const xattrs: ExtendedAttribute[] = [];
    for (let i = 0; i < n; i++) {
      const xname = r.text();
      const length = r.u32();
      if (length > MAX_XATTR_VALUE_BYTES)
        throw fail(`${JSON.stringify(name)}: an extended attribute value of ${length} bytes`);
      xattrs.push({ name: xname, value: r.bytes(length) });
    }
    checkXattrs(xattrs, (why) => fail(`${JSON.stringify(name)}: ${why}`));
    e.xattrs = xattrs;
  }
  return e;
}

const encoder = new TextEncoder();

/** Names valid and strictly increasing by UTF-8 bytes; at most MAX_TREE_ITEMS items (at least `least`). */
/** The number of items a tree holds: `least`..MAX_TREE_ITEMS. */
function checkCount(items: readonly unknown[], fail: (why: string) => Error, least = 0): void {
  if (!Array.isArray(items) || items.length < least || items.length > MAX_TREE_ITEMS)
    throw fail(`a tree holds ${least}..${MAX_TREE_ITEMS} items`);
}

/** Whether `name` may name an entry: not empty, `.` or `..`, and without `/` or NUL. */
function validName(name: unknown): name is string {
  return (
    typeof name === 'string' &&
    name !== '' &&
    name !== '.' &&
    name !== '..' &&
    !name.includes('/') &&
    !name.includes('\0')
  );
}

function checkItems<T>(
  items: readonly T[],
  nameOf: (x: T) => string,
  fail: (why: string) => Error,
  least = 0,
): void {
  checkCount(items, fail, least);
  let previous: Uint8Array | undefined;
  for (const item of items) {
    const name = nameOf(item);
    if (!validName(name)) throw fail(`${JSON.stringify(name)} is not a valid name`);
    const bytes = encoder.encode(name);
    if (bytes.length > MAX_NAME_BYTES) throw fail(`a name longer than ${MAX_NAME_BYTES} bytes`);
    if (previous !== undefined && compareBytes(previous, bytes) >= 0)
      throw fail(`${JSON.stringify(name)} is out of order or repeated`);
    previous = bytes;
  }
}

/** Orders byte strings as the tree's entries are ordered (by unsigned bytes). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return a.length - b.length;
}

/** Appends fields to one buffer that doubles as it fills (no allocation per field). */
class Writer {
  #buf = new Uint8Array(4096);
  #view = new DataView(this.#buf.buffer);
  #at = 0;
  /** Room for `n` more bytes; returns where they go. Call it before reading `#view`: it may replace it. */
  #take(n: number): number {
    if (this.#at + n > this.#buf.length) {
      let size = this.#buf.length * 2;
      while (size < this.#at + n) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(this.#buf.subarray(0, this.#at));
      this.#buf = grown;
      this.#view = new DataView(grown.buffer);
    }
    const at = this.#at;
    this.#at += n;
    return at;
  }
  u8(v: number): void {
    const at = this.#take(1);
    this.#view.setUint8(at, v);
  }
  u16(v: number): void {
    const at = this.#take(2);
    this.#view.setUint16(at, v);
  }
  u32(v: number): void {
    const at = this.#take(4);
    this.#view.setUint32(at, v);
  }
  u64(v: bigint): void {
    const at = this.#take(8);
    this.#view.setBigUint64(at, v);
  }
  i64(v: bigint): void {
    const at = this.#take(8);
    this.#view.setBigInt64(at, v);
  }
  bytes(b: Uint8Array): void {
    const at = this.#take(b.length);
    this.#buf.set(b, at);
  }
  /** Writes `s` as a uint16 length and its UTF-8 bytes; returns a view of those bytes. */
  text(s: string): Uint8Array {
    // An ASCII string is copied byte by byte (most names: cheaper than a call to the encoder);
    // anything else is encoded in place, into room for its longest UTF-8 form.
    const start = this.#take(2 + s.length * 3) + 2;
    const buf = this.#buf;
    let n = 0;
    if (s.length <= 64) {
      for (; n < s.length; n++) {
        const c = s.charCodeAt(n);
        if (c >= 0x80) break;
        buf[start + n] = c;
      }
    }
    if (n < s.length) n = encoder.encodeInto(s, buf.subarray(start, start + s.length * 3)).written;
    if (n > 0xffff) throw new TypeError('encodeTree: a name or target longer than 65535 bytes');
    this.#view.setUint16(start - 2, n);
    this.#at = start + n;
    return buf.subarray(start, start + n);
  }

  /**
   * Writes an entry's or range's name, which must be valid and sort strictly after `previous`
   * (by UTF-8 bytes); returns its bytes, the next call's `previous`.
   */
  name(name: string, previous: Uint8Array | undefined, fail: (why: string) => Error): Uint8Array {
    if (!validName(name)) throw fail(`${JSON.stringify(name)} is not a valid name`);
    const bytes = this.text(name);
    if (bytes.length > MAX_NAME_BYTES) throw fail(`a name longer than ${MAX_NAME_BYTES} bytes`);
    if (previous !== undefined && compareBytes(previous, bytes) >= 0)
      throw fail(`${JSON.stringify(name)} is out of order or repeated`);
    return bytes;
  }
  finish(): Uint8Array {
    return this.#buf.slice(0, this.#at);
  }
}

class Reader {
  #at = 0;
  readonly #data: Uint8Array;
  readonly #view: DataView;
  readonly #decoder = new TextDecoder('utf-8', { fatal: true });
  readonly fail: (why: string) => Error;
  constructor(data: Uint8Array, fail: (why: string) => Error) {
    this.#data = data;
    this.fail = fail;
    this.#view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }
  #take(n: number): number {
    if (this.#at + n > this.#data.length) throw this.fail('ends early');
    const at = this.#at;
    this.#at += n;
    return at;
  }
  left(): number {
    return this.#data.length - this.#at;
  }
  atEnd(): boolean {
    return this.#at === this.#data.length;
  }
  u8(): number {
    return this.#view.getUint8(this.#take(1));
  }
  u16(): number {
    return this.#view.getUint16(this.#take(2));
  }
  u32(): number {
    return this.#view.getUint32(this.#take(4));
  }
  u64(): bigint {
    return this.#view.getBigUint64(this.#take(8));
  }
  i64(): bigint {
    return this.#view.getBigInt64(this.#take(8));
  }
  bytes(n: number): Uint8Array {
    const at = this.#take(n);
    return this.#data.slice(at, at + n);
  }
  text(): string {
    const n = this.#view.getUint16(this.#take(2));
    const at = this.#take(n);
    try {
      return this.#decoder.decode(this.#data.subarray(at, at + n));
    } catch {
      throw this.fail('a name or target that is not UTF-8');
    }
  }
}
