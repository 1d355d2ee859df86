import type { KeyWrapper } from '@sealstream/kms';
import type { BackupManifest } from '@sealstream/manifest';
import { BackupError } from './BackupError.ts';
import type { Collection } from './Collection.ts';
import { type OpenChain, openChain } from './openChain.ts';

/**
 * Resolves `backup` (LATEST, a full backup id or a layer id) and `asOf` (a layer of that chain:
 * its full id, its incremental id, or the last part such as `20261128-012000.55`) to one layer,
 * opens the chain's key and that layer's manifest.
 */
export async function openLayer(
  collection: Collection,
  keys: readonly KeyWrapper[],
  backup: string | undefined,
  asOf: string | undefined,
): Promise<{ chain: OpenChain; layers: string[]; layer: string; manifest: BackupManifest }> {
  const resolved = await collection.resolve(backup);
  const layers = await collection.layers(resolved.full);
  let layer = resolved.layer ?? (layers[layers.length - 1] as string);
  if (asOf !== undefined) {
    const want = asOf.replace(/^\/+|\/+$/g, '');
    const found = layers.find((l) => l === want || l.endsWith(`/${want}`));
    if (!found) {
      throw new BackupError(
        'ERR_BACKUP_NOT_FOUND',
        `no layer "${asOf}" in the chain of ${resolved.full}; its layers are: ${layers.join(', ')}`,
      );
    }
    layer = found;
  }
  const chain = await openChain(collection, resolved.full, keys);
  const manifest = await collection.manifest(chain.dek, chain.info.chainId, layer);
  return { chain, layers, layer, manifest };
}
