import type { TreeEntry } from '@sealstream/manifest';
import { BackupError } from '../BackupError.ts';
import type { TreeStore } from './TreeStore.ts';

/** A tree entry and its `/`-separated path from the layer's root. */
export interface WalkedEntry {
  path: string;
  entry: TreeEntry;
}

/**
 * The entries of one directory in name order, one range at a time for a split directory (so at
 * most one tree object of it is in memory).
 */
export async function* directoryEntries(
  trees: TreeStore,
  id: Uint8Array,
): AsyncGenerator<TreeEntry> {
  const tree = await trees.get(id);
  if (tree.kind === 'entries') {
    yield* tree.entries;
    return;
  }
  for (const r of tree.ranges) {
    const part = await trees.get(r.tree);
    if (part.kind !== 'entries')
      throw new BackupError('ERR_BACKUP_CORRUPT', 'a range of a directory is itself split');
    yield* part.entries;
  }
}

/**
 * Every entry under directory `id`, depth first in pre-order (a directory before what it holds),
 * paths prefixed with `path`. Memory: one directory's entries per level of depth.
 *
 * @example
 * ```ts
 * for await (const { path, entry } of walkTree(packs.trees, root)) console.log(path, entry.type);
 * ```
 */
export async function* walkTree(
  trees: TreeStore,
  id: Uint8Array,
  path = '',
): AsyncGenerator<WalkedEntry> {
  for await (const entry of directoryEntries(trees, id)) {
    const child = path ? `${path}/${entry.name}` : entry.name;
    yield { path: child, entry };
    if (entry.type === 'dir') yield* walkTree(trees, entry.tree as Uint8Array, child);
  }
}

/** The root directory of a layer as an entry (no name, no metadata of its own). */
export function rootEntry(root: Uint8Array): TreeEntry {
  return {
    name: '',
    type: 'dir',
    mode: 0,
    uid: 0,
    gid: 0,
    mtimeNs: 0n,
    ctimeNs: 0n,
    inode: 0n,
    device: 0n,
    size: 0n,
    tree: root,
  };
}

/**
 * The entry at `path` (`/`-separated; `''` is the root) and the directories above it, reading
 * one directory per component: `ERR_BACKUP_NOT_FOUND` when there is none.
 */
export async function findEntry(
  trees: TreeStore,
  root: Uint8Array,
  path: string,
): Promise<{ entry: TreeEntry; path: string; ancestors: WalkedEntry[] }> {
  const clean = path.replace(/^\/+|\/+$/g, '');
  let at = rootEntry(root);
  const ancestors: WalkedEntry[] = [];
  if (clean === '') return { entry: at, path: '', ancestors };
  let walked = '';
  for (const name of clean.split('/')) {
    let found: TreeEntry | undefined;
    if (at.type === 'dir')
      for await (const e of directoryEntries(trees, at.tree as Uint8Array))
        if (e.name === name) {
          found = e;
          break;
        }
    if (found === undefined)
      throw new BackupError(
        'ERR_BACKUP_NOT_FOUND',
        `no object named ${JSON.stringify(clean)} in this backup`,
      );
    if (walked !== '') ancestors.push({ path: walked, entry: at });
    walked = walked ? `${walked}/${name}` : name;
    at = found;
  }
  return { entry: at, path: clean, ancestors };
}

/** Milliseconds since the epoch of a nanosecond time. */
export function msOf(ns: bigint): number {
  return Number(ns / 1_000_000n);
}
