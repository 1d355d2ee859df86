import type { ExtendedAttribute, TreeEntryType as ObjectType } from '@sealstream/manifest';

/**
 * One object to back up. A directory tree yields one entry per file, directory and symlink
 * (see `walkDirectory` of `@sealstream/fs`); a program can yield a single `stream` entry.
 *
 * @example
 * ```ts
 * import type { BackupEntry } from '@sealstream/backup';
 * const dump: BackupEntry = {
 *   name: 'db.dump', type: 'stream',
 *   open: () => new Blob(['hello']).stream(),
 * };
 * ```
 */
export interface BackupEntry {
  /** `/`-separated relative name, unique within the backup. */
  name: string;
  type: ObjectType;
  /** Expected size in bytes, when known (the bytes actually read are what is recorded). */
  size?: number;
  mode?: number;
  /** ms since the epoch. */
  mtime?: number;
  /** Link target, for symlinks. */
  target?: string;
  /**
   * What the file system says of the entry beyond `mode` and `mtime`, at full precision (from
   * `lstat(path, { bigint: true })`): collection format v2 stores it, and an incremental reuses a
   * file's chunks without reading it only when all of it (and type, mode, size) is unchanged.
   */
  stat?: EntryStat;
  /**
   * Opens the object's bytes (files and streams): a stream, or the whole content held at once
   * (a small file read in one call saves a stream's per-file cost).
   */
  open?: () =>
    | ReadableStream<Uint8Array>
    | Uint8Array
    | Promise<ReadableStream<Uint8Array> | Uint8Array>;
}

/** Full-precision file-system facts of an entry (see {@link BackupEntry.stat}). */
export interface EntryStat {
  mtimeNs: bigint;
  ctimeNs: bigint;
  ino: bigint;
  dev: bigint;
  uid: number;
  gid: number;
  /**
   * The file's number of hard links (`st_nlink`). A regular file with more than one is stored
   * with its count, so that a restore can make its names hard links to one file again.
   */
  nlink?: number;
  /**
   * The entry's extended attributes (POSIX ACLs among them on Linux), sorted by the UTF-8 bytes
   * of their names; absent or empty when it has none.
   */
  xattrs?: readonly ExtendedAttribute[];
  /**
   * The names of the owner's user and group, where known (`walkDirectory` reads them from
   * /etc/passwd and /etc/group): the snapshot records each id's name, and a restore as root can
   * give an entry the id its owner's name has there (as tar does).
   */
  user?: string;
  group?: string;
}

/**
 * The metadata a restore hands its target with each entry: permission bits (with setuid, setgid
 * and sticky), mtime in ms since the epoch, the owner's numeric user and group ids as stored
 * (a target applies them only when it can: a directory target does when run as root), and the
 * extended attributes.
 */
export interface EntryMeta {
  mode?: number;
  mtime?: number;
  uid?: number;
  gid?: number;
  /** Extended attributes as stored (a target applies those it can). */
  xattrs?: readonly ExtendedAttribute[];
  /** The names `uid` and `gid` had on the backed-up system, where the backup recorded them. */
  user?: string;
  group?: string;
}

/**
 * Where a restore writes. Implementations must make a file visible under its final name only
 * when its stream closes successfully (an aborted stream leaves nothing that looks complete).
 */
export interface RestoreTarget {
  /**
   * Called once with the objects selected, before anything is written or read; a target that
   * cannot take them (e.g. one that writes a single object to stdout) throws here.
   */
  begin?(
    objects: readonly { name: string; type: ObjectType; size: number }[],
    layer?: { id: string; full: string },
  ): Promise<void> | void;
  /**
   * Whether the file is already there, complete, from an earlier restore of the same layer that
   * was interrupted (a target that resumes one): its chunks are then not read, and `writeFile`
   * is not called for it.
   */
  complete?(name: string, meta: EntryMeta & { size: number }): Promise<boolean>;
  mkdir(name: string, meta: EntryMeta): Promise<void>;
  writeFile(name: string, meta: EntryMeta & { size: number }): Promise<WritableStream<Uint8Array>>;
  /**
   * Writes a small file (at most {@link SMALL_FILE_BYTES}) given whole, with the same guarantee
   * as `writeFile` (visible under its name only complete). Optional: a restore calls it instead
   * of `writeFile` when present, saving a stream per file; the bytes are authenticated already.
   */
  writeBytes?(name: string, meta: EntryMeta & { size: number }, bytes: Uint8Array): Promise<void>;
  symlink(name: string, target: string, meta: Omit<EntryMeta, 'mode'>): Promise<void>;
  /**
   * Makes `name` a hard link to `existing`, a file this restore wrote (complete). Optional: a
   * restore calls it for the later names of a file that had several hard links at backup time
   * (same device, inode, link count, size and chunks) instead of writing the bytes again; a target
   * without it, or whose `link` rejects, gets the name written as a file of its own.
   */
  link?(name: string, existing: string): Promise<void>;
  /** Called once at the end of a successful restore (e.g. to set directory times). */
  finish?(): Promise<void>;
  /**
   * Waits until every file handed over so far is written, or failed and was removed: for a
   * target that writes in the background, called when a restore fails before `finish` (which
   * waits itself), so that no file is left half written. It may reject with a write's failure.
   */
  settle?(): Promise<void>;
}

/**
 * The size up to which a file is small: a restore hands it to its target whole
 * ({@link RestoreTarget.writeBytes}), and a directory source may read it whole (its `open()`
 * returns the bytes).
 */
export const SMALL_FILE_BYTES = 64 * 1024;

/** Progress of long work, reported at most a few times per second and at the end. */
export interface Progress {
  phase: 'backup' | 'restore' | 'verify';
  objects: number;
  totalObjects?: number;
  bytes: number;
  totalBytes?: number;
}
