import { type BigIntStats, lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { type BackupEntry, SMALL_FILE_BYTES } from '@sealstream/backup';
import { readSmallFile } from './openFile.ts';
import { ReadAhead } from './ReadAhead.ts';
import { type OwnerTable, systemOwners } from './systemOwners.ts';
import { readXattrs } from './xattrs.ts';

/**
 * Yields the backup entries of a directory tree (or of a single file), depth first in sorted
 * order, each with its full-precision `stat` (nanosecond times, inode, device, owner, link
 * count): directories, regular files and symlinks (kept as links, never followed). Other kinds
 * (sockets, FIFOs, devices) are reported through `onSkip` and left out. Each entry's extended
 * attributes (POSIX ACLs among them) are read too, unless `xattrs: false`; an entry whose
 * attributes cannot be read is reported through `onWarning` and kept without them. Owners are
 * given with their user and group names where the system lists them (`owners`). Names are relative to
 * `root` and prefixed with `prefix` when given. A file's `open()` reads it only if it is still
 * the regular file listed (same device and inode, not a symlink): otherwise its stream fails with
 * `ERR_CLI_SOURCE_CHANGED` (see {@link openFile}); a small file's `open()` returns its bytes,
 * read at once ({@link readSmallFile}).
 *
 * Directories are listed and entries `lstat`ed with synchronous calls, a few microseconds each on
 * a local file system against tens for an asynchronous call's dispatch
 * (docs/decisions/0012-synchronous-file-system-calls.md). Large files are read asynchronously.
 */
export async function* walkDirectory(
  root: string,
  options: WalkOptions = {},
): AsyncGenerator<BackupEntry> {
  // Every call of the walk is synchronous: one generator level here, not one per directory.
  for (const e of walkTree(root, options)) yield e;
}

function* walkTree(root: string, options: WalkOptions): Generator<BackupEntry> {
  const st = lstatSync(root, { bigint: true });
  const prefix = options.prefix ?? '';
  if (options.owners === undefined) options = { ...options, owners: systemOwners() };
  if (!st.isDirectory()) {
    const only = entryOf(root, prefix || basename(root), st, options, undefined);
    if (only !== undefined) yield only;
    return;
  }
  if (prefix) {
    const top = entryOf(root, prefix, st, options, undefined);
    if (top !== undefined) yield top;
  }
  const readAhead = new ReadAhead();
  try {
    yield* walk(root, prefix, '', { ...options, rootDev: st.dev, readAhead });
  } finally {
    void readAhead.close();
  }
}

/** Options of {@link walkDirectory}. */
export interface WalkOptions {
  /** Name prefix of every entry (the root's own entry is named by it, when given). */
  prefix?: string;
  /** A path left out on purpose: a socket, FIFO or device. */
  onSkip?: (path: string, why: string) => void;
  /**
   * A path that could not be listed (a directory without read permission, an entry removed
   * during the walk). Without it, the error is thrown; with it, the path is left out (a
   * directory then keeps its own entry, empty) and the walk goes on.
   */
  onError?: (path: string, why: string) => void;
  /**
   * Part of an entry that could not be read: its extended attributes (no permission to read
   * them, a value too large to store). With it, the entry is kept without them and the walk goes
   * on; without it, the error is thrown.
   */
  onWarning?: (path: string, why: string) => void;
  /**
   * Leaves out an entry (and, for a directory, everything under it) whose path relative to
   * `root` it returns true for; the entry is not even `lstat`ed.
   */
  exclude?: (relativePath: string) => boolean;
  /** Leaves out a directory that holds an entry of one of these names (e.g. `.nobackup`). */
  excludeIfPresent?: readonly string[];
  /** Does not descend into directories on another file system than `root` (keeps their entry). */
  oneFileSystem?: boolean;
  /**
   * Read each entry's extended attributes (default `true`; a platform without the optional
   * `@napi-rs/xattr` module reads none).
   */
  xattrs?: boolean;
  /**
   * Where owners' names come from (default: the system's, {@link systemOwners}); `false` stores
   * numeric ids alone.
   */
  owners?: OwnerTable | false;
}

/** An entry of a directory being walked, listed ahead of its turn. */
interface Listed {
  path: string;
  rel: string;
  fromRoot: string;
  st: BigIntStats;
  /** Read ahead already (or not a candidate). */
  ahead: boolean;
}

/** Entries of a directory listed (lstat) ahead of the one being yielded: read-ahead's horizon. */
const LIST_AHEAD = 64;
/** {@link SMALL_FILE_BYTES} as a bigint, to compare with a BigIntStats size. */
const SMALL_BYTES = BigInt(SMALL_FILE_BYTES);

function* walk(
  dir: string,
  prefix: string,
  relative: string,
  options: WalkOptions & { rootDev: bigint; readAhead: ReadAhead },
): Generator<BackupEntry> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    if (options.onError === undefined) throw e;
    options.onError(dir, reasonOf(e));
    return;
  }
  names.sort();
  const listed: Listed[] = [];
  let next = 0;
  /** Lists the next name that is not excluded and can be lstat'ed, if any. */
  const listNext = () => {
    while (next < names.length) {
      const name = names[next++] as string;
      const path = join(dir, name);
      const fromRoot = relative ? `${relative}/${name}` : name;
      if (options.exclude?.(fromRoot)) continue;
      let st: BigIntStats;
      try {
        st = lstatOf(path);
      } catch (e) {
        if (options.onError === undefined) throw e;
        options.onError(path, reasonOf(e));
        continue;
      }
      const rel = prefix ? `${prefix}/${name}` : name;
      const small = st.isFile() && st.size > 0n && st.size <= SMALL_BYTES;
      listed.push({ path, rel, fromRoot, st, ahead: !small });
      return;
    }
  };
  for (;;) {
    while (listed.length <= LIST_AHEAD && next < names.length) listNext();
    const item = listed.shift();
    if (item === undefined) return;
    if (options.readAhead.active)
      for (const l of listed) {
        if (l.ahead) continue;
        if (!options.readAhead.start(l.path)) break;
        l.ahead = true;
      }
    const { path, rel, fromRoot, st } = item;
    if (st.isDirectory() && holdsAny(path, options.excludeIfPresent)) continue;
    const e = entryOf(path, rel, st, options, options.readAhead);
    if (e !== undefined) yield e;
    if (st.isDirectory() && !(options.oneFileSystem && st.dev !== options.rootDev))
      yield* walk(path, rel, fromRoot, options);
  }
}

/**
 * `lstat(path)` with full-precision fields. Asked not to throw for a missing entry, Node's
 * lstatSync takes half the time it takes otherwise (7 µs against 15 µs here); a missing entry
 * still throws ENOENT, from here.
 */
function lstatOf(path: string): BigIntStats {
  const st = lstatSync(path, { bigint: true, throwIfNoEntry: false });
  if (st !== undefined) return st;
  throw Object.assign(new Error(`ENOENT: no such file or directory, lstat '${path}'`), {
    code: 'ENOENT',
    syscall: 'lstat',
    path,
  });
}

/** Whether directory `dir` holds an entry of one of `names`. */
function holdsAny(dir: string, names: readonly string[] | undefined): boolean {
  for (const name of names ?? []) {
    try {
      if (lstatSync(join(dir, name), { throwIfNoEntry: false }) !== undefined) return true;
    } catch {
      // Absent, or not visible: not present.
    }
  }
  return false;
}

function reasonOf(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err.code ?? err.message;
}

/** The entry's extended attributes, or none when they are not wanted or cannot be read. */
function xattrsOf(path: string, options: WalkOptions) {
  if (options.xattrs === false) return {};
  try {
    const xattrs = readXattrs(path);
    return xattrs.length === 0 ? {} : { xattrs };
  } catch (e) {
    if (options.onWarning === undefined) throw e;
    options.onWarning(path, (e as Error).message);
    return {};
  }
}

/** The owner's user and group names, where the table has them. */
function namesOf(uid: number, gid: number, owners: OwnerTable | false | undefined) {
  if (!owners) return {};
  const user = owners.userName(uid);
  const group = owners.groupName(gid);
  return {
    ...(user === undefined ? {} : { user }),
    ...(group === undefined ? {} : { group }),
  };
}

/** The entry of `path`, or undefined for a kind left out (reported through `onSkip`). */
function entryOf(
  path: string,
  name: string,
  st: BigIntStats,
  options: WalkOptions,
  readAhead: ReadAhead | undefined,
): BackupEntry | undefined {
  if (!(st.isDirectory() || st.isSymbolicLink() || st.isFile())) {
    options.onSkip?.(path, 'not a regular file, directory or symlink');
    return undefined;
  }
  const base = {
    name,
    mode: Number(st.mode) & 0o7777,
    mtime: Number(st.mtimeNs / 1_000_000n),
    stat: {
      mtimeNs: st.mtimeNs,
      ctimeNs: st.ctimeNs,
      ino: st.ino,
      dev: st.dev,
      uid: Number(st.uid),
      gid: Number(st.gid),
      nlink: Number(st.nlink),
      ...xattrsOf(path, options),
      ...namesOf(Number(st.uid), Number(st.gid), options.owners),
    },
  };
  if (st.isDirectory()) return { ...base, type: 'dir', size: 0 };
  if (st.isSymbolicLink()) return { ...base, type: 'symlink', size: 0, target: readlinkSync(path) };
  const size = Number(st.size);
  const identity = { dev: Number(st.dev), ino: Number(st.ino) };
  return {
    ...base,
    type: 'file',
    size,
    // Opened later: it must still be the file listed here (not a symlink or FIFO swapped in).
    open:
      readAhead === undefined || size > SMALL_FILE_BYTES
        ? () => readSmallFile(path, size, identity)
        : () => {
            // How long a small file's read takes turns read-ahead on and off.
            const t = performance.now();
            const read = readSmallFile(path, size, identity);
            readAhead.took(performance.now() - t);
            return read;
          },
  };
}
