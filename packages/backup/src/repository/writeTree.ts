import {
  compareBytes,
  isSafeObjectName,
  MAX_OWNER_NAMES,
  MAX_TREE_ITEMS,
  type OwnerName,
  type Snapshot,
  type TreeEntry,
  type TreeObject,
} from '@sealstream/manifest';
import { BackupError } from '../BackupError.ts';
import type { BackupEntry } from '../BackupSource.ts';
import type { ChainPacks } from './ChainPacks.ts';
import { TaskPool } from './TaskPool.ts';
import type { TreeStore } from './TreeStore.ts';

/** Options of {@link writeTree}. */
export interface WriteTreeOptions {
  /** The parent layer's root tree: unchanged files keep its chunks without being read. */
  parentRoot?: Uint8Array;
  /** The locality whose packs take a file's chunks (default: `default`). */
  localityOf?: (name: string) => string;
  /** Files stored at once (default 8). */
  concurrency?: number;
  /** Called with each entry once it is in the tree, and with each plaintext byte count read. */
  onEntry?: (entry: BackupEntry) => void;
  onBytes?: (n: number) => void;
  /**
   * Called when reading or storing a file's bytes fails: `true` leaves the file out of the tree
   * and goes on (chunks of it already packed stay unreferenced); otherwise the failure is thrown.
   */
  skipObject?: (name: string, error: unknown) => boolean;
}

/** What {@link writeTree} wrote. */
export interface WrittenTree {
  /** The root tree's id. */
  root: Uint8Array;
  /** Entries in the tree, and the plaintext bytes of its files. */
  entries: number;
  bytes: number;
  /** Files whose chunks were taken from the parent layer without reading them. */
  unchanged: number;
  /** Files (and streams) read and chunked, and their plaintext bytes. */
  read: { files: number; bytes: number };
  /** Files left out because `skipObject` said so. */
  skipped: number;
  /** Entries of the parent layer that this tree no longer has (a directory counts once). */
  deleted: number;
  /** The names of the entries' owners, where the source gave them (see `EntryStat.user`). */
  owners?: Snapshot['owners'];
}

/** A directory being filled: its entries so far and, for change detection, the parent layer's. */
interface OpenDir {
  path: string;
  entry: BackupEntry | undefined;
  entries: TreeEntry[];
  previous: Map<string, TreeEntry> | undefined;
  /** Files of this directory still being stored. */
  pending: Promise<void>[];
}

const encoder = new TextEncoder();

/**
 * Stores a layer's tree (docs/COLLECTION-FORMAT-V2.md §5) from backup entries in depth-first
 * pre-order (a directory before what it holds, as `walkDirectory` yields them): files' bytes go
 * to the chunk store of their locality in `packs`, each directory becomes a tree object in `trees` when its last entry has been
 * seen, and the root tree's id is returned. Memory is bounded by depth × the entries of one
 * directory, not by the number of files. A directory named by an entry's path but not listed
 * itself is created with empty metadata.
 *
 * With `parentRoot` (the parent layer's root tree), a file whose type, mode, size, times, inode,
 * device and owner (`entry.stat`) equal the parent's entry at the same path keeps its chunks
 * without being read, when they are stored in its locality. An entry without `stat` is compared
 * by type, mode, size and `mtime` alone; one without either time is always read. Entries out of depth-first order, repeated names or unsafe names are
 * `ERR_BACKUP_BAD_SOURCE`.
 */
export async function writeTree(
  entries: AsyncIterable<BackupEntry> | Iterable<BackupEntry>,
  packs: ChainPacks,
  options: WriteTreeOptions = {},
): Promise<WrittenTree> {
  const { trees } = packs;
  const localityOf = options.localityOf ?? (() => 'default');
  const pool = new TaskPool(options.concurrency ?? 8);
  const previousOf = async (
    dir: OpenDir | undefined,
    name: string | undefined,
  ): Promise<Map<string, TreeEntry> | undefined> => {
    let id: Uint8Array | undefined;
    if (dir === undefined) id = options.parentRoot;
    else {
      const p = name === undefined ? undefined : dir.previous?.get(name);
      id = p?.type === 'dir' ? p.tree : undefined;
    }
    return id === undefined ? undefined : entriesByName(trees, id);
  };
  const stack: OpenDir[] = [
    {
      path: '',
      entry: undefined,
      entries: [],
      previous: await previousOf(undefined, undefined),
      pending: [],
    },
  ];
  const seenDirs = new Set<string>();
  let count = 0;
  let bytes = 0;
  let unchanged = 0;
  let skipped = 0;
  let deleted = 0;
  const read = { files: 0, bytes: 0 };
  const users = new Map<number, string>();
  const groups = new Map<number, string>();
  const top = (): OpenDir => stack[stack.length - 1] as OpenDir;

  const close = async (): Promise<void> => {
    const dir = stack.pop() as OpenDir;
    await Promise.all(dir.pending);
    pool.check();
    deleted += countDeleted(dir);
    const id = await putDirectory(trees, dir.entries, dir.path);
    const name = baseName(dir.path);
    top().entries.push({ ...metaOf(dir.entry, name, 'dir'), tree: id });
  };
  const open = async (path: string, entry: BackupEntry | undefined): Promise<void> => {
    if (seenDirs.has(path))
      throw new BackupError(
        'ERR_BACKUP_BAD_SOURCE',
        `${JSON.stringify(path)} comes again after its directory was closed: entries must be in depth-first order`,
      );
    seenDirs.add(path);
    stack.push({
      path,
      entry,
      entries: [],
      previous: await previousOf(top(), baseName(path)),
      pending: [],
    });
  };

  for await (const entry of entries) {
    if (!isSafeObjectName(entry.name))
      throw new BackupError(
        'ERR_BACKUP_BAD_SOURCE',
        `object name ${JSON.stringify(entry.name)} is not a safe relative path`,
      );
    const parent = parentOf(entry.name);
    // Close what this entry is not inside of, then open the directories it is inside of.
    while (!(top().path === parent || isInside(parent, top().path))) await close();
    while (top().path !== parent) {
      const next = parent
        .split('/')
        .slice(0, depthOf(top().path) + 1)
        .join('/');
      await open(next, undefined);
    }
    count++;
    const s = entry.stat;
    if (s?.user !== undefined && users.size < MAX_OWNER_NAMES && !users.has(s.uid))
      users.set(s.uid, s.user);
    if (s?.group !== undefined && groups.size < MAX_OWNER_NAMES && !groups.has(s.gid))
      groups.set(s.gid, s.group);
    const name = baseName(entry.name);
    if (entry.type === 'dir') {
      await open(entry.name, entry);
      options.onEntry?.(entry);
      continue;
    }
    const dir = top();
    if (entry.type === 'symlink') {
      if (entry.target === undefined || entry.target === '')
        throw new BackupError('ERR_BACKUP_BAD_SOURCE', `symlink ${entry.name} has no target`);
      dir.entries.push({ ...metaOf(entry, name, 'symlink'), target: entry.target });
      options.onEntry?.(entry);
      continue;
    }
    const meta = metaOf(entry, name, entry.type);
    const before = dir.previous?.get(name);
    const locality = localityOf(entry.name);
    if (
      before !== undefined &&
      (entry.stat !== undefined || entry.mtime !== undefined) &&
      sameFile(before, meta, entry) &&
      packs.hasAll(locality, before.chunks ?? [])
    ) {
      dir.entries.push({ ...meta, size: before.size, chunks: before.chunks ?? [] });
      bytes += Number(before.size);
      unchanged++;
      options.onEntry?.(entry);
      continue;
    }
    const openStream = entry.open;
    if (openStream === undefined)
      throw new BackupError('ERR_BACKUP_BAD_SOURCE', `${entry.name} has no open()`);
    const chunks = packs.chunks(locality);
    const { done } = await pool.add(async () => {
      let stored: Awaited<ReturnType<typeof chunks.store>>;
      try {
        const source = await openStream();
        stored =
          source instanceof Uint8Array
            ? await chunks.storeBytes(source, options.onBytes)
            : await chunks.store(source, options.onBytes);
      } catch (e) {
        if (!options.skipObject?.(entry.name, e)) throw e;
        skipped++;
        count--;
        return;
      }
      dir.entries.push({ ...meta, size: BigInt(stored.size), chunks: stored.chunks });
      bytes += stored.size;
      read.files++;
      read.bytes += stored.size;
      options.onEntry?.(entry);
    });
    dir.pending.push(done);
  }
  while (stack.length > 1) await close();
  await Promise.all(top().pending);
  await pool.drain();
  deleted += countDeleted(top());
  const root = await putDirectory(trees, top().entries, '');
  const named = (m: Map<number, string>): OwnerName[] =>
    [...m].sort((a, b) => a[0] - b[0]).map(([id, name]) => ({ id, name }));
  return {
    root,
    entries: count,
    bytes,
    unchanged,
    read,
    skipped,
    deleted,
    ...(users.size + groups.size === 0
      ? {}
      : { owners: { users: named(users), groups: named(groups) } }),
  };
}

/** Entries the parent layer had in this directory and this layer does not. */
function countDeleted(dir: OpenDir): number {
  if (dir.previous === undefined) return 0;
  const now = new Set(dir.entries.map((e) => e.name));
  let n = 0;
  for (const name of dir.previous.keys()) if (!now.has(name)) n++;
  return n;
}

/** Stores a directory's entries as one tree, or as ranges when there are more than fit in one. */
async function putDirectory(
  trees: TreeStore,
  entries: TreeEntry[],
  path: string,
): Promise<Uint8Array> {
  const sorted = entries
    .map((e) => ({ e, key: encoder.encode(e.name) }))
    .sort((a, b) => compareBytes(a.key, b.key))
    .map((x) => x.e);
  for (let i = 1; i < sorted.length; i++) {
    if ((sorted[i] as TreeEntry).name === (sorted[i - 1] as TreeEntry).name)
      throw new BackupError(
        'ERR_BACKUP_BAD_SOURCE',
        `${JSON.stringify(path ? `${path}/${(sorted[i] as TreeEntry).name}` : (sorted[i] as TreeEntry).name)} is given twice`,
      );
  }
  if (sorted.length <= MAX_TREE_ITEMS) return trees.put({ kind: 'entries', entries: sorted });
  const ranges = [];
  for (let i = 0; i < sorted.length; i += MAX_TREE_ITEMS) {
    const part = sorted.slice(i, i + MAX_TREE_ITEMS);
    ranges.push({
      first: (part[0] as TreeEntry).name,
      tree: await trees.put({ kind: 'entries', entries: part }),
      count: part.length,
    });
  }
  if (ranges.length > MAX_TREE_ITEMS)
    throw new BackupError('ERR_BACKUP_BAD_SOURCE', `${path || '/'} holds too many entries`);
  return trees.put({ kind: 'ranges', ranges });
}

/** A directory's entries by name, reading every range of a split directory. */
export async function entriesByName(
  trees: TreeStore,
  id: Uint8Array,
): Promise<Map<string, TreeEntry>> {
  const out = new Map<string, TreeEntry>();
  const add = (tree: TreeObject) => {
    if (tree.kind === 'entries') for (const e of tree.entries) out.set(e.name, e);
  };
  const tree = await trees.get(id);
  if (tree.kind === 'entries') add(tree);
  else for (const r of tree.ranges) add(await trees.get(r.tree));
  return out;
}

function metaOf(entry: BackupEntry | undefined, name: string, type: TreeEntry['type']): TreeEntry {
  const s = entry?.stat;
  const mtimeNs =
    s?.mtimeNs ?? (entry?.mtime === undefined ? 0n : BigInt(Math.trunc(entry.mtime)) * 1_000_000n);
  return {
    name,
    type,
    mode: entry?.mode ?? 0,
    uid: s?.uid ?? 0,
    gid: s?.gid ?? 0,
    mtimeNs,
    ctimeNs: s?.ctimeNs ?? 0n,
    inode: s?.ino ?? 0n,
    device: s?.dev ?? 0n,
    size: 0n,
    ...(type === 'file' && s?.nlink !== undefined && s.nlink > 1 ? { links: s.nlink } : {}),
    ...(s?.xattrs !== undefined && s.xattrs.length > 0 ? { xattrs: [...s.xattrs] } : {}),
  };
}

function sameFile(before: TreeEntry, now: TreeEntry, entry: BackupEntry): boolean {
  return (
    before.type === now.type &&
    before.mode === now.mode &&
    before.uid === now.uid &&
    before.gid === now.gid &&
    before.mtimeNs === now.mtimeNs &&
    before.ctimeNs === now.ctimeNs &&
    before.inode === now.inode &&
    before.device === now.device &&
    entry.size !== undefined &&
    before.size === BigInt(entry.size)
  );
}

function parentOf(name: string): string {
  const i = name.lastIndexOf('/');
  return i < 0 ? '' : name.slice(0, i);
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function depthOf(path: string): number {
  return path === '' ? 0 : path.split('/').length;
}

/** Whether `path` lies strictly inside directory `dir` ('' is the root). */
function isInside(path: string, dir: string): boolean {
  return dir === '' || path.startsWith(`${dir}/`);
}
