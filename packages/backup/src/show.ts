import type { KeyWrapper } from '@sealstream/kms';
import type { TreeEntry, TreeEntryType } from '@sealstream/manifest';
import type { Storage } from '@sealstream/storage';
import { decodeHex, equalBytes } from '@sealstream/streams';
import { Collection, type Destinations } from './Collection.ts';
import { openLayer } from './openLayer.ts';
import type { ChainPacks } from './repository/ChainPacks.ts';
import { directoryEntries } from './repository/walkTree.ts';

/** One row of the SHOW BACKUP listing: an object as written by one layer. */
export interface ShowRow {
  object: string;
  objectType: TreeEntryType;
  backupType: 'full' | 'incremental';
  /** The layer the row belongs to. */
  layer: string;
  startTime: string;
  endTime: string;
  /** Plaintext size in bytes. */
  size: number;
  /** Entries: 1 for a file, stream or symlink; the number of direct children for a directory. */
  entries: number;
  /** Where its data lives (the locality of its first chunk; `default` for the rest). */
  locality: string;
}

export interface ShowResult {
  full: string;
  layers: {
    id: string;
    type: 'full' | 'incremental';
    startTime: string;
    endTime: string;
    /** Entries in the layer's tree, and their plaintext bytes. */
    objects: number;
    bytes: number;
    /** Paths the layer no longer has (a deleted directory is named once, not what it held). */
    deleted: string[];
  }[];
  rows: ShowRow[];
  openedWith: string;
}

/** Options of {@link show}. */
export interface ShowOptions {
  /** The collection: one storage, or one per locality (`default` holds the metadata). */
  collection: Storage | Destinations | Record<string, Storage>;
  /** `LATEST` (default), a full backup id, or an incremental layer id. */
  backup?: string;
  /** The chain as of this layer (full id, layer id, or its last part). */
  asOf?: string;
  /** Any one of the backup's KMS keys or its passphrase. */
  keys: KeyWrapper[];
}

/**
 * The SHOW BACKUP listing of a chain up to a layer: for each layer, the objects it wrote (all of
 * them for the full backup; new and changed ones for incrementals) and what it deleted. Reads
 * ENCRYPTION_INFO, the snapshots and tree objects, never file data; an unchanged directory is
 * recognised by its tree id and not read again.
 *
 * @example
 * ```ts
 * import { show } from '@sealstream/backup';
 * const { rows } = await show({ collection: storage, keys: [passphraseWrapper(pass)] });
 * for (const r of rows) console.log(r.object, r.backupType, r.size);
 * ```
 */
export async function show(options: ShowOptions): Promise<ShowResult> {
  const collection = new Collection(options.collection);
  const { chain, layers, packs } = await openLayer(
    collection,
    options.keys,
    options.backup,
    options.asOf,
  );
  const result: ShowResult = {
    full: chain.full,
    layers: [],
    rows: [],
    openedWith: chain.openedWith,
  };
  let previous: Uint8Array | undefined;
  for (const { snapshot: s } of layers) {
    const deleted: string[] = [];
    const root = decodeHex(s.root);
    const row = async (entry: TreeEntry, path: string) => {
      result.rows.push({
        object: path,
        objectType: entry.type,
        backupType: s.type,
        layer: s.layerId,
        startTime: s.startTime,
        endTime: s.endTime,
        size: Number(entry.size),
        entries: entry.type === 'dir' ? await countEntries(packs, entry.tree as Uint8Array) : 1,
        locality: localityOf(packs, entry),
      });
    };
    await diff(packs, root, previous, '', row, (path) => deleted.push(path));
    result.layers.push({
      id: s.layerId,
      type: s.type,
      startTime: s.startTime,
      endTime: s.endTime,
      objects: s.stats.entries,
      bytes: s.stats.bytes,
      deleted,
    });
    previous = root;
  }
  return result;
}

/**
 * Reports every entry of directory `id` that differs from the same path under `before` (all of
 * them without `before`), a directory before what it holds, and every path of `before` that
 * `id` lacks. Directories equal by tree id are skipped whole.
 */
async function diff(
  packs: ChainPacks,
  id: Uint8Array,
  before: Uint8Array | undefined,
  path: string,
  onRow: (entry: TreeEntry, path: string) => Promise<void>,
  onDeleted: (path: string) => void,
): Promise<void> {
  const old = new Map<string, TreeEntry>();
  if (before !== undefined)
    for await (const e of directoryEntries(packs.trees, before)) old.set(e.name, e);
  for await (const entry of directoryEntries(packs.trees, id)) {
    const child = path ? `${path}/${entry.name}` : entry.name;
    const was = old.get(entry.name);
    old.delete(entry.name);
    if (was !== undefined && sameEntry(was, entry) && sameIds(tree(was), tree(entry))) continue;
    // A directory is a row when its own metadata changed, and is read when its tree did.
    if (was === undefined || !sameEntry(was, entry)) await onRow(entry, child);
    if (entry.type === 'dir')
      await diff(
        packs,
        entry.tree as Uint8Array,
        was?.type === 'dir' ? was.tree : undefined,
        child,
        onRow,
        onDeleted,
      );
  }
  for (const name of old.keys()) onDeleted(path ? `${path}/${name}` : name);
}

/** Entries of a directory, from its tree object alone (a split directory's ranges say their counts). */
async function countEntries(packs: ChainPacks, id: Uint8Array): Promise<number> {
  const tree = await packs.trees.get(id);
  return tree.kind === 'entries'
    ? tree.entries.length
    : tree.ranges.reduce((n, r) => n + r.count, 0);
}

function sameEntry(a: TreeEntry, b: TreeEntry): boolean {
  return (
    a.type === b.type &&
    a.mode === b.mode &&
    a.uid === b.uid &&
    a.gid === b.gid &&
    a.mtimeNs === b.mtimeNs &&
    a.size === b.size &&
    a.target === b.target &&
    sameIds(a.chunks ?? [], b.chunks ?? [])
  );
}

function tree(e: TreeEntry): Uint8Array[] {
  return e.tree === undefined ? [] : [e.tree];
}

function sameIds(a: readonly Uint8Array[], b: readonly Uint8Array[]): boolean {
  return a.length === b.length && a.every((x, i) => equalBytes(x, b[i] as Uint8Array));
}

function localityOf(packs: ChainPacks, entry: TreeEntry): string {
  const first = entry.chunks?.[0];
  return (first === undefined ? undefined : packs.locate(first)?.locality) ?? 'default';
}
