import type { KeyWrapper } from '@sealstream/kms';
import type { Storage } from '@sealstream/storage';
import type { Progress, RestoreTarget } from './BackupSource.ts';
import { Collection, type Destinations } from './Collection.ts';
import { openLayer } from './openLayer.ts';
import { ownerNames } from './ownerNames.ts';
import { progressReporter } from './progressReporter.ts';
import { meta, type RestoredTree, restoreTree } from './repository/restoreTree.ts';
import { directoryEntries, findEntry, rootEntry, type WalkedEntry } from './repository/walkTree.ts';

export interface RestoreOptions {
  /** The collection: one storage, or one per locality. */
  collection: Storage | Destinations | Record<string, Storage>;
  /** `LATEST` (default), a full backup id, or an incremental layer id. */
  backup?: string;
  /** Restore the chain as of this layer (full id, layer id, or its last part). */
  asOf?: string;
  /** Any one of the backup's KMS keys or its passphrase. */
  keys: KeyWrapper[];
  target: RestoreTarget;
  /**
   * Restore only these objects (a directory name selects everything under it). The
   * directories above each are made with their recorded modes and times.
   */
  objects?: string[];
  /** Files written at once (default 8). */
  concurrency?: number;
  /**
   * Restore everything that can be read back, and list what cannot (a chunk or tree whose pack
   * fails to authenticate or is missing) under `failed` instead of failing on the first. A file
   * that fails is not left under its name. Errors writing the target still fail the restore.
   */
  ignoreErrors?: boolean;
  onProgress?: (p: Progress) => void;
}

export interface RestoreResult {
  /** The layer restored. */
  id: string;
  full: string;
  /** Entries restored and the plaintext bytes of their files. */
  objects: number;
  bytes: number;
  /** The redacted URI of the key that opened the backup, and the keys that failed first. */
  openedWith: string;
  keyFailures: { uri: string; code: string; message: string }[];
  /**
   * With `ignoreErrors`, the entries that could not be read back (a directory: the part of it
   * not restored), with the error's code and message; otherwise empty.
   */
  failed: { path: string; code: string; reason: string }[];
}

/**
 * Restores a backup layer — exactly the tree as it was when that layer was taken — into
 * `target`, depth first. Every byte is authenticated before it is written, and a file appears
 * under its name only when complete. Memory is bounded by the tree's depth and `concurrency`,
 * not by its number of files.
 *
 * The target's `begin` hears the objects selected: the named ones, or the top-level entries
 * of the layer when none is named.
 *
 * @example
 * ```ts
 * import { restore } from '@sealstream/backup';
 * // `target` is a RestoreTarget, e.g. directoryTarget('/tmp/out') of @sealstream/fs.
 * await restore({ collection: storage, keys: [passphraseWrapper(pass)], target });
 * ```
 */
export async function restore(options: RestoreOptions): Promise<RestoreResult> {
  const collection = new Collection(options.collection);
  const layer = await openLayer(collection, options.keys, options.backup, options.asOf);
  const { packs, root, snapshot } = layer;
  const names = options.objects?.length ? options.objects : undefined;
  const selected: WalkedEntry[] = [];
  const above: WalkedEntry[] = [];
  if (names === undefined) {
    for await (const entry of directoryEntries(packs.trees, root))
      selected.push({ entry, path: entry.name });
  } else {
    const found = [];
    for (const name of names) found.push(await findEntry(packs.trees, root, name));
    // A name inside another one selected (or the same name twice) is restored with it, once.
    const within = (path: string, dir: string) => dir === '' || path.startsWith(`${dir}/`);
    for (const f of found) {
      const covered = found.some(
        (g) => g !== f && g.entry.type === 'dir' && within(f.path, g.path) && g.path !== f.path,
      );
      if (covered || selected.some((x) => x.path === f.path)) continue;
      selected.push({ entry: f.entry, path: f.path });
      above.push(...f.ancestors);
    }
  }
  const { target } = options;
  await target.begin?.(
    selected.map(({ entry, path }) => ({ name: path, type: entry.type, size: Number(entry.size) })),
    { id: snapshot.layerId, full: layer.chain.full },
  );
  const progress = progressReporter(
    'restore',
    options.onProgress,
    names === undefined
      ? { totalObjects: snapshot.stats.entries, totalBytes: snapshot.stats.bytes }
      : {},
  );
  const failed: RestoreResult['failed'] = [];
  const owners = ownerNames(snapshot.owners);
  let restored: RestoredTree;
  try {
    const made = new Set<string>();
    for (const { entry, path } of above) {
      if (made.has(path)) continue;
      made.add(path);
      await target.mkdir(path, meta(entry, owners));
    }
    restored = await restoreTree(
      names === undefined ? [{ entry: rootEntry(root), path: '' }] : selected,
      target,
      packs,
      {
        onBytes: (n) => progress.bytes(n),
        onEntry: () => progress.object(),
        names: owners,
        ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
        ...(options.ignoreErrors
          ? {
              onUnreadable: (path: string, error: unknown) =>
                failed.push({
                  path,
                  code: String((error as { code?: unknown }).code ?? 'ERR_UNKNOWN'),
                  reason: error instanceof Error ? error.message : String(error),
                }),
            }
          : {}),
      },
    );
    await target.finish?.();
  } catch (e) {
    // No file left half written: a target writing in the background finishes what it has.
    await target.settle?.().catch(() => {});
    throw e;
  }
  progress.done();
  return {
    id: snapshot.layerId,
    full: layer.chain.full,
    objects: restored.entries,
    bytes: restored.bytes,
    openedWith: layer.chain.openedWith,
    keyFailures: layer.chain.failures,
    failed,
  };
}
