import type { KeyWrapper } from '@sealstream/kms';
import type { ChainKeys, Snapshot } from '@sealstream/manifest';
import { decodeHex } from '@sealstream/streams';
import { BackupError } from './BackupError.ts';
import { type Collection, SNAPSHOT } from './Collection.ts';
import { type OpenChain, openChain } from './openChain.ts';
import { ChainPacks } from './repository/ChainPacks.ts';
import { readSnapshots, type SnapshotFile } from './repository/readSnapshots.ts';

/** A layer opened for reading: its chain's key, every layer up to it, and the chain's packs. */
export interface OpenLayer {
  chain: OpenChain;
  keys: ChainKeys;
  /** The chain's layers, oldest first, up to and including the one selected. */
  layers: SnapshotFile[];
  /** The layer selected. */
  snapshot: Snapshot;
  /** Its root tree id. */
  root: Uint8Array;
  packs: ChainPacks;
}

/**
 * Resolves `backup` (LATEST, a full backup id or a layer id) and `asOf` (a layer of that chain:
 * its full id, its incremental id, or the last part such as `20261128-012000.55`) to one layer;
 * opens the chain's key, checks the snapshot chain up to that layer, and loads the chain's pack
 * indexes.
 */
export async function openLayer(
  collection: Collection,
  keys: readonly KeyWrapper[],
  backup: string | undefined,
  asOf: string | undefined,
): Promise<OpenLayer> {
  const resolved = await collection.resolve(backup);
  const chain = await openChain(collection, resolved.full, keys);
  const chainKeys = chain.keys;
  const all = await readSnapshots(collection, chainKeys, resolved.full);
  const want = asOf?.replace(/^\/+|\/+$/g, '') ?? resolved.layer;
  const at =
    want === undefined
      ? all.length - 1
      : all.findIndex(
          (l) => l.snapshot.layerId === want || l.snapshot.layerId.endsWith(`/${want}`),
        );
  if (at < 0)
    throw new BackupError(
      'ERR_BACKUP_NOT_FOUND',
      `no layer "${want}" in the chain of ${resolved.full}; its layers are: ${all.map((l) => l.snapshot.layerId).join(', ')}`,
    );
  const layers = all.slice(0, at + 1);
  // Fail before anything is read or written when a locality holding the chain's packs is missing.
  for (const { snapshot } of layers)
    for (const locality of snapshot.localities)
      collection.storageFor(locality, `${snapshot.layerId}/${SNAPSHOT}`);
  const snapshot = (layers[at] as SnapshotFile).snapshot;
  return {
    chain,
    keys: chainKeys,
    layers,
    snapshot,
    root: decodeHex(snapshot.root),
    packs: await ChainPacks.open(collection, resolved.full, chainKeys),
  };
}
