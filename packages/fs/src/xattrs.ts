import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { type ExtendedAttribute, MAX_XATTRS } from '@sealstream/backup';

/** The largest value stored (Linux's XATTR_SIZE_MAX; a collection holds none larger). */
const MAX_VALUE_BYTES = 65_536;

/** The calls of `@napi-rs/xattr` used here (none of them follows a symlink). */
interface XattrModule {
  listAttributesSync(path: string): string[];
  getAttributeSync(path: string, name: string): Uint8Array | null;
  setAttributeSync(path: string, name: string, value: Uint8Array): void;
}

let native: XattrModule | null | undefined;

/**
 * The native module that reads and writes extended attributes (`@napi-rs/xattr`, an optional
 * dependency with prebuilt binaries for Linux, macOS and FreeBSD), or null where it is not
 * installed or does not load (e.g. on Windows).
 */
function xattrModule(): XattrModule | null {
  if (native === undefined) {
    try {
      native = createRequire(import.meta.url)('@napi-rs/xattr') as XattrModule;
    } catch {
      native = null;
    }
  }
  return native;
}

/** Whether this platform can read and write extended attributes. */
export function xattrsSupported(): boolean {
  return xattrModule() !== null;
}

/** The errno name in a native error's message ("… (os error 95)"), else its message. */
function reasonOf(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const errno = /\(os error (\d+)\)/.exec(message)?.[1];
  if (errno !== undefined)
    for (const [name, n] of Object.entries(constants.errno)) if (n === Number(errno)) return name;
  return message;
}

/**
 * Extended attributes that could not be read: `reason` is an errno name where there is one
 * (its message reads "extended attributes (…)").
 */
export class XattrError extends Error {
  readonly reason: string;
  constructor(reason: string, detail = reason) {
    super(`extended attributes (${detail})`);
    this.name = 'XattrError';
    this.reason = reason;
  }
}

const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * Reads the extended attributes of `path` without following a symlink, sorted by the UTF-8
 * bytes of their names: `[]` when it has none, when the file system keeps none (ENOTSUP) or when
 * this platform cannot read them. Throws {@link XattrError} when they cannot be read.
 */
export function readXattrs(path: string): ExtendedAttribute[] {
  const x = xattrModule();
  if (x === null) return [];
  let names: string[];
  try {
    names = x.listAttributesSync(path);
  } catch (e) {
    const err = new XattrError(reasonOf(e));
    if (err.reason === 'ENOTSUP' || err.reason === 'EOPNOTSUPP') return [];
    throw err;
  }
  if (names.length === 0) return [];
  if (names.length > MAX_XATTRS)
    throw new XattrError('E2BIG', `${names.length}, more than ${MAX_XATTRS}`);
  const out: ExtendedAttribute[] = [];
  for (const name of names.sort(byBytes)) {
    let value: Uint8Array | null;
    try {
      value = x.getAttributeSync(path, name);
    } catch (e) {
      const reason = reasonOf(e);
      throw new XattrError(reason, `reading ${name}: ${reason}`);
    }
    // Removed between the listing and the read: left out, as if read a moment later.
    if (value === null) continue;
    if (value.length > MAX_VALUE_BYTES)
      throw new XattrError('E2BIG', `${name}: ${value.length} bytes, over 64 KiB`);
    out.push({ name, value: new Uint8Array(value) });
  }
  return out;
}

/**
 * Sets each extended attribute on `path` (a symlink itself, not what it points to). One that
 * cannot be set (EPERM for `trusted.*` or `security.*` as a normal user, ENOTSUP on a file system
 * without them, `user.*` on a symlink) is handed to `onFailure` and the rest are still set.
 */
export function writeXattrs(
  path: string,
  xattrs: readonly ExtendedAttribute[],
  onFailure: (name: string, reason: string) => void,
): void {
  const x = xattrModule();
  for (const { name, value } of xattrs) {
    if (x === null) {
      onFailure(name, 'extended attributes are not supported on this platform');
      continue;
    }
    try {
      x.setAttributeSync(path, name, value);
    } catch (e) {
      onFailure(name, reasonOf(e));
    }
  }
}
