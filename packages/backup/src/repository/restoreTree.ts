import type { TreeEntry } from '@sealstream/manifest';
import { concatBytes, equalBytes } from '@sealstream/streams';
import { BackupError } from '../BackupError.ts';
import { type EntryMeta, type RestoreTarget, SMALL_FILE_BYTES } from '../BackupSource.ts';
import type { OwnerNames } from '../ownerNames.ts';
import type { ChainPacks } from './ChainPacks.ts';
import { TaskPool } from './TaskPool.ts';
import { directoryEntries, msOf, type WalkedEntry } from './walkTree.ts';

/** What {@link restoreTree} wrote. */
export interface RestoredTree {
  entries: number;
  bytes: number;
}

/** Options of {@link restoreTree}. */
export interface RestoreTreeOptions {
  /** Files written at once (default 8). */
  concurrency?: number;
  onBytes?: (n: number) => void;
  /** Called once per entry restored. */
  onEntry?: () => void;
  /**
   * Called for each entry that cannot be read back (a chunk or tree that fails to authenticate,
   * is missing or does not add up): the restore goes on without it. Without it, the first such
   * error rejects the restore. Errors of the target (writing) always reject.
   */
  onUnreadable?: (path: string, error: unknown) => void;
  /** The owner names the layer's snapshot records, handed to the target with each entry. */
  names?: OwnerNames;
}

/** An error of reading the backup (not of writing the target), for `onUnreadable`. */
class ReadFailure {
  constructor(readonly error: unknown) {}
}

/** Chunks of one file read at once: the next ones are read and opened while one is written. */
const CHUNKS_AHEAD = 4;

/** The chunks `ids` read by `read`, in order, up to {@link CHUNKS_AHEAD} of them at once. */
async function* chunksOf(
  ids: readonly Uint8Array[],
  read: (id: Uint8Array) => Promise<Uint8Array[]>,
): AsyncGenerator<Uint8Array[]> {
  const reads: Promise<Uint8Array[]>[] = [];
  let next = 0;
  for (;;) {
    while (reads.length < CHUNKS_AHEAD && next < ids.length) {
      const r = read(ids[next++] as Uint8Array);
      // Reads left behind when the caller stops early settle unheard.
      r.catch(() => {});
      reads.push(r);
    }
    const r = reads.shift();
    if (r === undefined) return;
    yield await r;
  }
}

/** The first name written of a hard-linked file, and how many of its names are still to come. */
interface LinkGroup {
  entry: TreeEntry;
  /** The first name, once written (undefined when it could not be). */
  written: Promise<string | undefined>;
  left: number;
}

/** Whether two entries are names of one file holding the same bytes (see TreeEntry.links). */
function sameLinkedFile(a: TreeEntry, b: TreeEntry): boolean {
  const ca = a.chunks ?? [];
  const cb = b.chunks ?? [];
  return (
    a.size === b.size &&
    ca.length === cb.length &&
    ca.every((c, i) => equalBytes(c, cb[i] as Uint8Array))
  );
}

/**
 * Restores entries of a v2 tree into a target, depth first: a directory is made, then its files
 * are written (`concurrency` at once; each file's chunks written in order, up to 4 read ahead), its subdirectories
 * restored, and its symlinks made last. The later names of a file that had several hard links
 * (same device, inode and link count, and the same size and chunks) become hard links to the
 * first name written when the target can make links (`link`); only multiply-linked files are
 * remembered, each until its last name has come. The entry at path `''` is the layer's root: its
 * contents are restored, not itself. One directory's entries (one range of a split directory) are
 * in memory per level of depth. A file whose chunks do not add up to its recorded size is
 * `ERR_BACKUP_CORRUPT`, and its stream is aborted so the target keeps nothing that looks complete.
 * The target's `finish` is not called (the caller does, once everything selected is restored).
 */
export async function restoreTree(
  selected: readonly WalkedEntry[],
  target: RestoreTarget,
  packs: ChainPacks,
  options: RestoreTreeOptions = {},
): Promise<RestoredTree> {
  const totals = { entries: 0, bytes: 0 };
  // Files come in the order they were stored, so the small blobs read next sit in the packs read
  // last: read them a window at a time (one ranged read per MiB of pack, not one per file).
  packs.index('default').reads.windowed = true;
  for (const [, index] of packs.indexes()) index.reads.windowed = true;
  const pool = new TaskPool(options.concurrency ?? 8);
  const done = () => {
    totals.entries++;
    options.onEntry?.();
  };

  /** Writes one file; false when it could not be read back and `onUnreadable` heard of it. */
  const writeFile = async (e: TreeEntry, name: string): Promise<boolean> => {
    const size = Number(e.size);
    if (await target.complete?.(name, { ...meta(e, options.names), size })) {
      totals.bytes += size;
      options.onBytes?.(size);
      return true;
    }
    // A chunk's plaintext in the pieces it was opened in: written as they are, not joined.
    const read = (id: Uint8Array) =>
      packs.readChunkPieces(id).catch((err: unknown) => {
        throw new ReadFailure(err);
      });
    const unreadable = (err: unknown): boolean => {
      if (!(err instanceof ReadFailure)) return false;
      if (!options.onUnreadable) throw err.error;
      options.onUnreadable(name, err.error);
      return true;
    };
    if (target.writeBytes !== undefined && size <= SMALL_FILE_BYTES) {
      let bytes: Uint8Array;
      try {
        const pieces: Uint8Array[] = [];
        let held = 0;
        for (const id of e.chunks ?? []) {
          for (const piece of await read(id)) {
            held += piece.length;
            pieces.push(piece);
          }
          if (held > size) break;
        }
        if (held !== size)
          throw new ReadFailure(
            new BackupError(
              'ERR_BACKUP_CORRUPT',
              `${name}: its chunks hold ${held} bytes, the tree records ${size}`,
            ),
          );
        bytes = pieces.length === 1 ? (pieces[0] as Uint8Array) : concatBytes(...pieces);
      } catch (err) {
        if (unreadable(err)) return false;
        throw err;
      }
      await target.writeBytes(name, { ...meta(e, options.names), size }, bytes);
      totals.bytes += size;
      options.onBytes?.(size);
      return true;
    }
    const sink = (await target.writeFile(name, { ...meta(e, options.names), size })).getWriter();
    let written = 0;
    try {
      for await (const pieces of chunksOf(e.chunks ?? [], read)) {
        let length = 0;
        for (const p of pieces) length += p.length;
        written += length;
        if (written > size) break;
        for (const p of pieces) await sink.write(p);
        options.onBytes?.(length);
      }
      if (written !== size)
        throw new ReadFailure(
          new BackupError(
            'ERR_BACKUP_CORRUPT',
            `${name}: its chunks hold ${written} bytes, the tree records ${size}`,
          ),
        );
      await sink.close();
      totals.bytes += size;
      return true;
    } catch (err) {
      await sink.abort(err instanceof ReadFailure ? err.error : err).catch(() => {});
      if (unreadable(err)) return false;
      throw err;
    }
  };

  const groups = new Map<string, LinkGroup>();
  /** Writes a file, or links it to the first name of its hard-link group. */
  const writeOrLink = async (entry: TreeEntry, path: string): Promise<void> => {
    const key =
      entry.links !== undefined && target.link !== undefined
        ? `${entry.device}:${entry.inode}:${entry.links}`
        : undefined;
    const group = key === undefined ? undefined : groups.get(key);
    if (key !== undefined && group === undefined) {
      let settle: (path: string | undefined) => void = () => {};
      const written = new Promise<string | undefined>((r) => {
        settle = r;
      });
      groups.set(key, { entry, written, left: (entry.links as number) - 1 });
      await pool.add(async () => {
        let ok = false;
        try {
          ok = await writeFile(entry, path);
          if (ok) done();
        } finally {
          settle(ok ? path : undefined);
        }
      });
      return;
    }
    if (key !== undefined && group !== undefined && --group.left <= 0) groups.delete(key);
    await pool.add(async () => {
      const first = group === undefined ? undefined : await group.written;
      const size = Number(entry.size);
      // A target that cannot link here (a file system without hard links, too many links)
      // gets the name written as a file of its own.
      const linked =
        first !== undefined &&
        sameLinkedFile(entry, (group as LinkGroup).entry) &&
        !(await target.complete?.(path, { ...meta(entry, options.names), size })) &&
        (await target.link?.(path, first).then(
          () => true,
          () => false,
        ));
      if (linked) {
        totals.bytes += size;
        options.onBytes?.(size);
        done();
      } else if (await writeFile(entry, path)) done();
    });
  };

  const restore = async (items: AsyncIterable<WalkedEntry> | Iterable<WalkedEntry>) => {
    const dirs: WalkedEntry[] = [];
    const links: WalkedEntry[] = [];
    for await (const item of items) {
      const { entry, path } = item;
      if (entry.type === 'dir') dirs.push(item);
      else if (entry.type === 'symlink') links.push(item);
      else await writeOrLink(entry, path);
    }
    for (const { entry, path } of dirs) {
      if (path !== '') {
        await target.mkdir(path, meta(entry, options.names));
        done();
      }
      await restore(childrenOf(entry, path));
    }
    for (const { entry, path } of links) {
      const { mode: _mode, ...rest } = meta(entry, options.names);
      await target.symlink(path, entry.target as string, rest);
      done();
    }
  };

  async function* childrenOf(dir: TreeEntry, path: string): AsyncGenerator<WalkedEntry> {
    const entries = directoryEntries(packs.trees, dir.tree as Uint8Array)[Symbol.asyncIterator]();
    for (;;) {
      let next: IteratorResult<TreeEntry>;
      try {
        next = await entries.next();
      } catch (err) {
        // A directory whose tree cannot be read: what was read of it is restored, the rest is
        // reported under the directory's name.
        if (!options.onUnreadable) throw err;
        options.onUnreadable(path, err);
        return;
      }
      if (next.done) return;
      const entry = next.value;
      yield { entry, path: path ? `${path}/${entry.name}` : entry.name };
    }
  }

  await restore(selected);
  await pool.drain();
  return totals;
}

/**
 * The metadata a target applies: permission bits, modification time, owner (with its names, when
 * `names` has them) and extended attributes.
 */
export function meta(
  e: TreeEntry,
  names?: OwnerNames,
): EntryMeta & { mode: number; mtime: number } {
  const m: EntryMeta & { mode: number; mtime: number } = {
    mode: e.mode & 0o7777,
    mtime: msOf(e.mtimeNs),
    uid: e.uid,
    gid: e.gid,
  };
  const user = names?.user(e.uid);
  const group = names?.group(e.gid);
  if (user !== undefined) m.user = user;
  if (group !== undefined) m.group = group;
  if (e.xattrs !== undefined) m.xattrs = e.xattrs;
  return m;
}
