import type { KeyWrapper } from '@sealstream/kms';
import type { Storage } from '@sealstream/storage';
import { decodeHex } from '@sealstream/streams';
import { BackupError } from '../BackupError.ts';
import type { RestoreTarget } from '../BackupSource.ts';
import { Collection, type Destinations } from '../Collection.ts';
import { BlobIndex } from './BlobIndex.ts';
import { openChainV2, readSnapshots, SNAPSHOT } from './backupV2.ts';
import { readChunk } from './readChunk.ts';
import { restoreTree } from './restoreTree.ts';
import { TreeStore } from './TreeStore.ts';

/** What {@link restoreV2} restored. */
export interface RestoreV2Result {
  /** The layer restored and its chain's full backup. */
  id: string;
  full: string;
  entries: number;
  bytes: number;
  openedWith: string;
}

/**
 * Restores a layer of a v2 chain (LATEST's newest layer by default; `backup` names a chain or a
 * layer, `asOf` a layer of the chain) into a target: the chain's snapshots are checked as one
 * chain up to that layer, its blob index loaded from the packs, and its tree restored depth
 * first.
 *
 * @example
 * ```ts
 * await restoreV2({ from: storage, keys, target: await directoryTarget('/tmp/restored') });
 * ```
 */
export async function restoreV2(options: {
  from: Storage | Destinations | Record<string, Storage>;
  keys: KeyWrapper[];
  backup?: string;
  asOf?: string;
  target: RestoreTarget;
  onBytes?: (n: number) => void;
}): Promise<RestoreV2Result> {
  const collection = new Collection(options.from, { commitFile: SNAPSHOT });
  const resolved = await collection.resolve(options.backup);
  const { chain, keys } = await openChainV2(collection, resolved.full, options.keys);
  const layers = await readSnapshots(collection, keys, resolved.full);
  const want = options.asOf?.replace(/^\/+|\/+$/g, '') ?? resolved.layer;
  const chosen =
    want === undefined
      ? layers[layers.length - 1]
      : layers.find((l) => l.snapshot.layerId === want || l.snapshot.layerId.endsWith(`/${want}`));
  if (chosen === undefined)
    throw new BackupError(
      'ERR_BACKUP_NOT_FOUND',
      `no layer "${want}" in the chain of ${resolved.full}`,
    );
  const index = await BlobIndex.load(collection.main, resolved.full, keys);
  const trees = new TreeStore({ storage: collection.main, chain: resolved.full, keys, index });
  const restored = await restoreTree(
    decodeHex(chosen.snapshot.root),
    options.target,
    trees,
    (id) => readChunk(collection.main, keys, index, id),
    options.onBytes === undefined ? {} : { onBytes: options.onBytes },
  );
  return {
    id: chosen.snapshot.layerId,
    full: resolved.full,
    entries: restored.entries,
    bytes: restored.bytes,
    openedWith: chain.openedWith,
  };
}
