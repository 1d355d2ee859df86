import {
  type ChainKeys,
  checkSnapshotChain,
  MAX_SNAPSHOT_BYTES,
  openSnapshot,
  type Snapshot,
} from '@sealstream/manifest';
import { withFile } from '../BackupError.ts';
import { type Collection, SNAPSHOT } from '../Collection.ts';
import { readMetadata } from '../readMetadata.ts';

/** A layer's opened snapshot and the sealed bytes it was read from (its digest names it). */
export interface SnapshotFile {
  snapshot: Snapshot;
  sealed: Uint8Array;
}

/**
 * Opens every committed layer of a chain, oldest first, and checks that they form one chain:
 * each incremental names its predecessor and that predecessor's digest, so a layer dropped,
 * reordered, replayed from another chain or replaced is `ERR_MANIFEST_*`.
 */
export async function readSnapshots(
  collection: Collection,
  keys: ChainKeys,
  full: string,
): Promise<SnapshotFile[]> {
  const out: SnapshotFile[] = [];
  for (const layer of await collection.layers(full)) {
    const file = `${layer}/${SNAPSHOT}`;
    try {
      const sealed = await readMetadata(collection.main, file, MAX_SNAPSHOT_BYTES);
      out.push({
        snapshot: await openSnapshot(keys.meta, keys.chainId, layer, sealed, file),
        sealed,
      });
    } catch (e) {
      throw withFile(e, file);
    }
  }
  await checkSnapshotChain(out);
  return out;
}
