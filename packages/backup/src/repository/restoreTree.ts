import type { TreeEntry, TreeObject } from '@sealstream/manifest';
import { BackupError } from '../BackupError.ts';
import type { RestoreTarget } from '../BackupSource.ts';
import { TaskPool } from './TaskPool.ts';
import type { TreeStore } from './TreeStore.ts';

/** What {@link restoreTree} wrote. */
export interface RestoredTree {
  entries: number;
  bytes: number;
}

/**
 * Restores a v2 tree into a target, depth first: each directory is made before what it holds,
 * then its files are written (`concurrency` files at once, default 8; each file's chunks read in
 * order through `readChunk`), its subdirectories restored, and its symlinks made last. One directory's entries (one range of a
 * split directory) are in memory at a time along the path being restored. A file whose chunks
 * do not add up to its recorded size is `ERR_BACKUP_CORRUPT`, and its stream is aborted so the
 * target keeps nothing that looks complete.
 */
export async function restoreTree(
  root: Uint8Array,
  target: RestoreTarget,
  trees: TreeStore,
  readChunk: (id: Uint8Array) => Promise<Uint8Array>,
  options: { onBytes?: (n: number) => void; concurrency?: number } = {},
): Promise<RestoredTree> {
  const totals = { entries: 0, bytes: 0 };
  const pool = new TaskPool(options.concurrency ?? 8);

  const restoreDir = async (id: Uint8Array, path: string): Promise<void> => {
    const tree = await trees.get(id);
    if (tree.kind === 'ranges') {
      for (const r of tree.ranges) await restoreEntries(await entriesOf(trees, r.tree), path);
    } else {
      await restoreEntries(tree.entries, path);
    }
  };

  const restoreEntries = async (entries: TreeEntry[], path: string): Promise<void> => {
    const nameOf = (e: TreeEntry) => (path ? `${path}/${e.name}` : e.name);
    for (const e of entries) {
      if (e.type !== 'file' && e.type !== 'stream') continue;
      await pool.add(async () => {
        await writeFile(e, nameOf(e));
        totals.entries++;
      });
    }
    for (const e of entries) {
      if (e.type !== 'dir') continue;
      const name = nameOf(e);
      await target.mkdir(name, meta(e));
      totals.entries++;
      await restoreDir(e.tree as Uint8Array, name);
    }
    for (const e of entries) {
      if (e.type !== 'symlink') continue;
      await target.symlink(nameOf(e), e.target as string, { mtime: msOf(e.mtimeNs) });
      totals.entries++;
    }
  };

  const writeFile = async (e: TreeEntry, name: string): Promise<void> => {
    const size = Number(e.size);
    const sink = (await target.writeFile(name, { ...meta(e), size })).getWriter();
    let written = 0;
    try {
      for (const id of e.chunks ?? []) {
        const bytes = await readChunk(id);
        written += bytes.length;
        if (written > size) break;
        await sink.write(bytes);
        options.onBytes?.(bytes.length);
      }
      if (written !== size)
        throw new BackupError(
          'ERR_BACKUP_CORRUPT',
          `${name}: its chunks hold ${written} bytes, the tree records ${size}`,
        );
      await sink.close();
      totals.bytes += size;
    } catch (err) {
      await sink.abort(err).catch(() => {});
      throw err;
    }
  };

  await restoreDir(root, '');
  await pool.drain();
  await target.finish?.();
  return totals;
}

async function entriesOf(trees: TreeStore, id: Uint8Array): Promise<TreeEntry[]> {
  const tree: TreeObject = await trees.get(id);
  if (tree.kind !== 'entries')
    throw new BackupError('ERR_BACKUP_CORRUPT', 'a range of a directory is itself split');
  return tree.entries;
}

function meta(e: TreeEntry): { mode: number; mtime: number } {
  return { mode: e.mode & 0o7777, mtime: msOf(e.mtimeNs) };
}

function msOf(ns: bigint): number {
  return Number(ns / 1_000_000n);
}
