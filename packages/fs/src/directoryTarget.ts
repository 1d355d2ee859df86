import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import {
  chmod,
  chown,
  lchown,
  link,
  lstat,
  lutimes,
  mkdir,
  readdir,
  readFile,
  rmdir,
  symlink,
  unlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { type EntryMeta, type RestoreTarget, SMALL_FILE_BYTES } from '@sealstream/backup';
import { SealstreamError } from '@sealstream/streams';
import { SmallFileThread } from './smallFileThread.ts';
import { type OwnerTable, systemOwners } from './systemOwners.ts';
import { type SmallFile, unwritten, writeSmallFile } from './writeSmallFile.ts';
import { writeXattrs } from './xattrs.ts';

/**
 * Small files a restore writes on its own thread before it hands the rest to a thread of their
 * own: a restore of a few files does not start one (decision 0016).
 */
const INLINE_SMALL_FILES = 256;

/** Bytes gathered before one `writev` of a restored file. */
const WRITE_BATCH_BYTES = 1024 * 1024;

// A restored file costs six file-system calls; the callback API costs about two thirds of the CPU
// of FileHandle's per call (docs/decisions/0010-durable-restore.md).
const openFd = promisify(fs.open);
const writevFd = promisify(fs.writev);
const writeFd = promisify(fs.write);
const fsyncFd = promisify(fs.fsync);
const fchmodFd = promisify(fs.fchmod);
const fchownFd = promisify(fs.fchown);
const futimesFd = promisify(fs.futimes);
const closeFd = promisify(fs.close);
const renamePath = promisify(fs.rename);

/**
 * Makes everything written under `root` durable at once: syncfs(2) of its file system through
 * `sync -f` (coreutils), or sync(2) where `sync` has no `-f`. Rejects when neither runs.
 */
function syncFileSystem(root: string): Promise<void> {
  const run = (args: string[]) =>
    new Promise<void>((done, fail) =>
      execFile('sync', args, (e) => (e === null ? done() : fail(e))),
    );
  return run(['-f', root]).catch(() => run([]));
}

/** Makes the entries of directory `dir` durable: an fsync of the directory itself. */
async function syncDirectory(dir: string): Promise<void> {
  const fd = await openFd(dir, 'r');
  try {
    await fsyncFd(fd);
  } finally {
    await closeFd(fd);
  }
}

/**
 * The process's umask, read without changing it (`process.umask()` without an argument, only
 * documentation-deprecated); 0o777 where it cannot be read, so every file gets an fchmod.
 */
function currentUmask(): number {
  try {
    return process.umask();
  } catch {
    return 0o777;
  }
}

/** Options of {@link directoryTarget}. */
export interface DirectoryTargetOptions {
  /**
   * Apply the setuid and setgid bits stored in the backup (default `false`: they are cleared, as
   * tar does for an ordinary user, so a restore run as root cannot plant a setuid program from a
   * backup someone else wrote). The sticky bit is always kept.
   */
  preserveSpecialBits?: boolean;
  /**
   * How the restored tree is made durable before `finish` resolves (default `'filesystem'` on
   * Linux, `'file'` elsewhere): `'file'` fsyncs each file once written, and the target
   * directory after the tree is moved into it; `'filesystem'` syncs the target's whole file
   * system once at the end (syncfs through `sync -f`), which also makes every directory durable.
   */
  durability?: 'file' | 'filesystem';
  /**
   * Give every entry the owner (numeric uid and gid) stored in the backup. Default: when the
   * process runs as root (as tar's `--same-owner`); a normal user cannot give files away. The
   * owner is set after a file's content and before its mode, so that chown, which clears setuid
   * and setgid bits, cannot undo them.
   */
  owner?: boolean;
  /**
   * With `owner`: give each entry the stored numeric ids even where its owner's stored name
   * exists here under another id (default `false`: the local id of the name wins, as tar does
   * without `--numeric-owner`; an unknown name keeps the stored id).
   */
  numericOwner?: boolean;
  /** Where local users and groups are looked up by name (default: {@link systemOwners}). */
  owners?: OwnerTable;
  /**
   * Give every entry the extended attributes stored in the backup (default `true`): after its
   * owner and before its mode (ACLs and mode then agree), before a file gets its mtime.
   * One that cannot be set (`trusted.*` or `security.*` as a normal user, a file system without
   * them) is skipped and reported through `onWarning`.
   */
  xattrs?: boolean;
  /**
   * Called once for each kind of thing the target could not apply (e.g. each namespace of
   * extended attributes and reason), naming the first path; the restore goes on.
   */
  onWarning?: (message: string) => void;
}

/**
 * The file a directory restore keeps at the top of its target while it runs (removed by
 * `finish`): it names the layer, and a target holding it is an interrupted restore to resume.
 */
export const RESTORE_MARKER = '.sealstream-restore-in-progress';

/**
 * A name that is not a relative path below the target: an empty, `.` or `..` segment (so also a
 * leading or trailing `/`), a NUL, and on Windows a backslash or a colon.
 */
const UNSAFE_NAME = sep === '/' ? /(^|\/)\.{0,2}(\/|$)|\0/ : /(^|\/)\.{0,2}(\/|$)|[\0\\:]/;

/**
 * The directory at the top of the target that a directory restore writes the tree into, under
 * the entries' own names; `finish` moves its top-level entries into the target.
 */
export const RESTORE_STAGING = '.sealstream-restore-staging';

/** Whether {@link directoryTarget} restores owners by default: the process runs as root. */
export function restoresOwners(): boolean {
  return process.getuid?.() === 0;
}

/**
 * A RestoreTarget writing into a directory that must be absent or empty (so nothing already
 * there — a symlink planted in the way, an older file — can redirect or mix with the restore),
 * or hold an interrupted restore of the same layer, which is resumed: while a restore runs, a
 * marker file ({@link RESTORE_MARKER}, naming the layer) is at the top of the target; a rerun
 * finding it keeps each file already complete (same size and mtime as its entry) and restores
 * the rest (docs/decisions/0013-restore-resume.md). The tree is written under its own names into a
 * staging directory at the top of the target ({@link RESTORE_STAGING}); `finish` moves the
 * staging directory's top-level entries into the target, so nothing appears under its final name
 * before the whole tree is written (a killed restore leaves the staging directory), and no file
 * pays a rename of its own. The tree is durable when `finish` resolves: either each file was
 * fsynced once written, or (the default on Linux) the target's file system is synced once at the
 * end — no serial per-file fsync (docs/decisions/0010-durable-restore.md). Directory modes and
 * times are applied last, deepest first. Setuid and setgid bits are cleared unless
 * `options.preserveSpecialBits`. Owners are restored when run as root (`options.owner`), by name
 * where the stored name exists here (`options.numericOwner`: by id always). Files
 * of up to 64 KiB, given whole (`writeBytes`) or as a stream, are written with synchronous calls
 * once complete (docs/decisions/0012-synchronous-file-system-calls.md); `link` makes the later
 * names of a hard-linked file hard links to the first. Extended attributes (with POSIX ACLs)
 * are restored where the file system and the process's rights allow (`options.xattrs`).
 */
export async function directoryTarget(
  dir: string,
  options: DirectoryTargetOptions = {},
): Promise<RestoreTarget> {
  const root = resolve(dir);
  const modeMask = options.preserveSpecialBits ? 0o7777 : 0o1777;
  const perFile =
    (options.durability ?? (process.platform === 'linux' ? 'filesystem' : 'file')) === 'file';
  const staging = join(root, RESTORE_STAGING);
  const umask = currentUmask();
  const owner = options.owner ?? restoresOwners();
  const euid = process.geteuid?.();
  const egid = process.getegid?.();
  let resuming = false;
  try {
    const entries = await readdir(root);
    resuming = entries.includes(RESTORE_MARKER);
    if (entries.length > 0 && !resuming) {
      throw new SealstreamError(
        'ERR_CLI_TARGET_NOT_EMPTY',
        `restore target ${root} is not empty; restore into a new or empty directory`,
      );
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  await mkdir(root, { recursive: true });
  // A new file is owned by the process's user and group — its group is the directory's instead
  // under a setgid directory (or on a file system mounted with grpid), as is every directory made
  // under one — so fchown can be skipped when the stored owner is that, unless the target is
  // setgid, belongs to another group, or holds an earlier restore.
  const top = await lstat(root);
  const plainGroups = !resuming && (top.mode & 0o2000) === 0 && top.gid === egid;
  const table = options.numericOwner ? undefined : (options.owners ?? systemOwners());
  /** The owner to give an entry (by its stored names where they exist here), if any. */
  const ownerOf = (meta: EntryMeta): { uid: number; gid: number } | undefined => {
    if (!owner || meta.uid === undefined || meta.gid === undefined) return undefined;
    const uid = (meta.user === undefined ? undefined : table?.userId(meta.user)) ?? meta.uid;
    const gid = (meta.group === undefined ? undefined : table?.groupId(meta.group)) ?? meta.gid;
    return { uid, gid };
  };
  /** The owner to give a new file: none when the file has it already. */
  const chownTo = (meta: EntryMeta) => {
    const o = ownerOf(meta);
    return o === undefined || (plainGroups && o.uid === euid && o.gid === egid) ? undefined : o;
  };
  const withXattrs = options.xattrs ?? true;
  const warned = new Set<string>();
  /** Sets `meta.xattrs` on `p` (entry `name`), warning once per namespace and reason of a failure. */
  const applyXattrs = (p: string, name: string, meta: EntryMeta) => {
    if (!withXattrs || meta.xattrs === undefined) return;
    writeXattrs(p, meta.xattrs, (attribute, reason) => {
      const kind = `${attribute.split('.')[0]}.* (${reason})`;
      if (warned.has(kind)) return;
      warned.add(kind);
      options.onWarning?.(`extended attributes ${kind} could not be restored, first on ${name}`);
    });
  };
  const marker = join(root, RESTORE_MARKER);
  /**
   * Top-level names already moved out of the staging directory by the `finish` of an interrupted
   * run: their entries are checked, and written, in the target itself.
   */
  const moved = new Set<string>();
  /** The permission bits to give a file, and whether it can be created with them (no fchmod). */
  const modeOf = (meta: EntryMeta) => {
    const mode = (meta.mode ?? 0o644) & modeMask;
    // Created with its final permission bits when the umask leaves them as they are; the fd is
    // writable whatever the mode. With extended attributes to set (by path: writable needed,
    // and an ACL then the mode), fchmod comes after them.
    const noXattrs = !withXattrs || meta.xattrs === undefined;
    return { mode, exact: noXattrs && (mode & ~0o777) === 0 && (mode & umask) === 0 };
  };
  /** Writes small files past the first {@link INLINE_SMALL_FILES} (decision 0016). */
  const thread = new SmallFileThread();
  let smallFiles = 0;
  /**
   * Writes a small file whole with synchronous calls (decision 0012): here, or on the small-file
   * thread once a restore has written {@link INLINE_SMALL_FILES} (a file with extended attributes
   * always here). A resumed restore first removes what the interrupted one left of the file.
   */
  const writeSmall = (
    p: string,
    name: string,
    meta: EntryMeta,
    pieces: Uint8Array[],
  ): Promise<void> | undefined => {
    const file: SmallFile = {
      path: p,
      pieces,
      ...modeOf(meta),
      owner: chownTo(meta),
      mtime: meta.mtime === undefined ? undefined : seconds(meta.mtime),
      fsync: perFile,
      replace: resuming,
    };
    if (smallFiles++ >= INLINE_SMALL_FILES && (!withXattrs || meta.xattrs === undefined))
      return thread.write(file);
    writeSmallFile(file, () => applyXattrs(p, name, meta));
    return undefined;
  };
  /** Whether the marker is there (written by `begin`, which a library caller may skip). */
  let marked = false;
  const dirs: ({ name: string } & EntryMeta)[] = [];

  /** The top-level component of `name`, which must be a relative path below the target. */
  const topOf = (name: string) => {
    const slash = name.indexOf('/');
    const top = slash < 0 ? name : name.slice(0, slash);
    if (UNSAFE_NAME.test(name) || top === RESTORE_MARKER || top === RESTORE_STAGING)
      throw new SealstreamError(
        'ERR_CLI_UNSAFE_PATH',
        `refusing to write outside ${root} or over its restore's own files: ${name}`,
      );
    return top;
  };
  const under = (dir: string, name: string) =>
    `${dir}${sep}${sep === '/' ? name : name.replaceAll('/', sep)}`;
  /** Where `name` is once the restore has finished. */
  const finalPath = (name: string) => {
    topOf(name);
    return under(root, name);
  };
  /** Where `name` is written: in the staging directory unless its top level was moved already. */
  const pathOf = (name: string) => under(moved.has(topOf(name)) ? root : staging, name);
  /** Parent directories made and checked by this restore (symlinks come last, so they stay valid). */
  const ready = new Set<string>([root]);
  const ensureParent = async (p: string) => {
    const parent = dirname(p);
    if (ready.has(parent)) return;
    await mkdir(parent, { recursive: true });
    // Parents were made by this restore (the target started empty) and symlinks come last,
    // so no parent can be a link; check anyway.
    const rel = relative(root, parent);
    if (rel && (await lstat(parent)).isSymbolicLink()) {
      throw new SealstreamError(
        'ERR_CLI_UNSAFE_PATH',
        `refusing to write through a symlink: ${rel}`,
      );
    }
    ready.add(parent);
  };

  return {
    async begin(_objects, layer) {
      const mine = JSON.stringify({ id: layer?.id ?? null, full: layer?.full ?? null });
      if (resuming) {
        const theirs = await readFile(marker, 'utf8').catch(() => '');
        if (theirs !== mine)
          throw new SealstreamError(
            'ERR_CLI_TARGET_NOT_EMPTY',
            `restore target ${root} holds an interrupted restore of another backup (${theirs.slice(0, 200)}); restore into a new or empty directory`,
          );
        for (const name of await readdir(root))
          if (name !== RESTORE_MARKER && name !== RESTORE_STAGING) moved.add(name);
      } else await writeFile(marker, mine, { flag: 'wx', mode: 0o600 });
      marked = true;
    },
    async complete(name, meta) {
      if (!resuming) return false;
      // Written by the interrupted restore: a file gets its mtime once its content is written
      // (docs/decisions/0013-restore-resume.md).
      const st = await lstat(pathOf(name)).catch(() => undefined);
      return (
        st?.isFile() === true &&
        st.size === meta.size &&
        meta.mtime !== undefined &&
        Math.trunc(st.mtimeMs) === meta.mtime
      );
    },
    async mkdir(name, meta) {
      await mkdir(pathOf(name), { recursive: true });
      dirs.push({ name, ...meta });
    },
    async writeBytes(name, meta, bytes) {
      const p = pathOf(name);
      await ensureParent(p);
      await writeSmall(p, name, meta, [bytes]);
    },
    async writeFile(name, meta) {
      const p = pathOf(name);
      await ensureParent(p);
      const { mode, exact } = modeOf(meta);
      if (meta.size <= SMALL_FILE_BYTES) {
        // Gathered whole; nothing exists on disk until the stream closes.
        const pieces: Uint8Array[] = [];
        return new WritableStream<Uint8Array>({
          write(chunk) {
            pieces.push(chunk);
          },
          close: () => writeSmall(p, name, meta, pieces),
        });
      }
      if (resuming) await unlink(p).catch(() => {});
      const fd = await openFd(p, 'wx', exact ? mode : 0o600);
      let closed = false;
      const discard = async () => {
        if (!closed) {
          closed = true;
          await closeFd(fd).catch(() => {});
        }
        await unlink(p).catch(() => {});
      };
      // Chunks are gathered and written with one writev per WRITE_BATCH_BYTES: a decryptor
      // hands out 64 KiB pieces, and a thread-pool round trip for each would dominate.
      let batch: Uint8Array[] = [];
      let batched = 0;
      const flush = async () => {
        if (batched === 0) return;
        const list = batch;
        batch = [];
        batched = 0;
        const written = (await writevFd(fd, list)).bytesWritten;
        // A short writev (rare on regular files): write the rest piece by piece.
        for (const rest of unwritten(list, written)) {
          let off = 0;
          while (off < rest.byteLength)
            off += (await writeFd(fd, rest, off, rest.byteLength - off)).bytesWritten;
        }
      };
      return new WritableStream<Uint8Array>({
        async write(chunk) {
          batch.push(chunk);
          batched += chunk.byteLength;
          if (batched >= WRITE_BATCH_BYTES) await flush();
        },
        async close() {
          try {
            await flush();
            if (perFile) await fsyncFd(fd);
            const to = chownTo(meta);
            if (to !== undefined) await fchownFd(fd, to.uid, to.gid);
            applyXattrs(p, name, meta);
            if (!exact) await fchmodFd(fd, mode);
            if (meta.mtime !== undefined)
              await futimesFd(fd, seconds(meta.mtime), seconds(meta.mtime));
            closed = true;
            await closeFd(fd);
          } catch (e) {
            await discard();
            throw e;
          }
        },
        async abort() {
          await discard();
        },
      });
    },
    async symlink(name, target, meta) {
      const p = pathOf(name);
      await ensureParent(p);
      // A link made by the interrupted restore is made again.
      if (resuming && (await lstat(p).catch(() => undefined))?.isSymbolicLink()) await unlink(p);
      await symlink(target, p);
      const to = ownerOf(meta);
      if (to !== undefined) await lchown(p, to.uid, to.gid);
      applyXattrs(p, name, meta);
      if (meta.mtime !== undefined)
        await lutimes(p, seconds(meta.mtime), seconds(meta.mtime)).catch(() => {});
    },
    async link(name, existing) {
      const p = pathOf(name);
      await ensureParent(p);
      // `existing` is a file this restore wrote (perhaps on the small-file thread: waited for);
      // link() does not follow a symlink.
      await thread.settle();
      await link(pathOf(existing), p);
    },
    async settle() {
      await thread.close();
    },
    async finish() {
      await thread.close();
      // The tree is whole: its top-level entries move into the target (one rename each), then
      // the staging directory goes. Directory modes come after, as a directory without write
      // permission cannot be moved to another parent.
      const staged = await readdir(staging).catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return [];
        throw e;
      });
      for (const name of staged) {
        await renamePath(join(staging, name), join(root, name));
        moved.add(name);
      }
      await rmdir(staging).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      });
      if (perFile) await syncDirectory(root);
      const made = dirs.map((d) => ({ ...d, path: finalPath(d.name) }));
      made.sort((a, b) => b.path.length - a.path.length);
      for (const d of made) {
        const to = ownerOf(d);
        if (to !== undefined) await chown(d.path, to.uid, to.gid);
        applyXattrs(d.path, d.name, d);
        if (d.mode !== undefined) await chmod(d.path, d.mode & modeMask);
        if (d.mtime !== undefined) await utimes(d.path, seconds(d.mtime), seconds(d.mtime));
      }
      if (!perFile) await syncFileSystem(root);
      if (marked || resuming) await unlink(marker);
    },
  };
}

const [uvMajor = 0, uvMinor = 0] = (process.versions.uv ?? '').split('.').map(Number);
/** Whether utimes keeps nanoseconds of the seconds it is given: libuv 1.52+ (Node 24+) does. */
const NANOSECOND_UTIMES = uvMajor > 1 || (uvMajor === 1 && uvMinor >= 52);

/** The mtime, in ms, that utimes on libuv 1.52+ gives a file for `s` seconds (it truncates to ns). */
function landsAt(s: number): number {
  const whole = Math.trunc(s);
  return whole * 1000 + Math.trunc((s - whole) * 1e9) / 1e6;
}

const step = new DataView(new ArrayBuffer(8));

/** The next double above `s` (`s` > 0). */
function nextUp(s: number): number {
  step.setFloat64(0, s);
  step.setBigUint64(0, step.getBigUint64(0) + 1n);
  return step.getFloat64(0);
}

/**
 * Seconds for utimes from integer milliseconds, so that `Math.trunc(stat.mtimeMs)` gives them
 * back. The double → timespec conversion truncates (1.491 s would land on 1.490999999 s, one ms
 * early). Before libuv 1.52 (Node 20, 22) it keeps whole microseconds, so half a microsecond is
 * added; from 1.52 on it keeps nanoseconds, where that half microsecond would show in mtimeMs, so
 * the smallest double that lands on or after the millisecond is used instead.
 */
function seconds(ms: number): number {
  if (!NANOSECOND_UTIMES) return ms / 1000 + 5e-7;
  let s = ms / 1000;
  for (let i = 0; i < 4 && s > 0 && landsAt(s) < ms; i++) s = nextUp(s);
  return s;
}
