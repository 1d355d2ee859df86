import type { KeyWrapper } from '@sealstream/kms';
import type { BackupManifest, ManifestObject, ObjectType } from '@sealstream/manifest';
import type { Storage } from '@sealstream/storage';
import { Collection, type Destinations } from './Collection.ts';
import { openLayer } from './openLayer.ts';

/** One row of the SHOW BACKUP listing: an object as written by one layer. */
export interface ShowRow {
  object: string;
  objectType: ObjectType;
  backupType: 'full' | 'incremental';
  /** The layer the row belongs to. */
  layer: string;
  startTime: string;
  endTime: string;
  /** Plaintext size in bytes. */
  size: number;
  /** Entries: 1 for a file, stream or symlink; the number of direct children for a directory. */
  entries: number;
  /** Where its data lives. */
  locality: string;
}

export interface ShowResult {
  full: string;
  layers: {
    id: string;
    type: 'full' | 'incremental';
    startTime: string;
    endTime: string;
    objects: number;
    deleted: string[];
  }[];
  rows: ShowRow[];
  openedWith: string;
}

/**
 * The SHOW BACKUP listing of a chain up to a layer: for each layer, the objects it wrote (all of
 * them for the full backup; new and changed ones for incrementals) and what it deleted. Reads
 * only ENCRYPTION_INFO and the manifests.
 *
 * @example
 * ```ts
 * import { show } from '@sealstream/backup';
 * const { rows } = await show({ in: storage, keys: [passphraseWrapper(pass)] });
 * for (const r of rows) console.log(r.object, r.backupType, r.size);
 * ```
 */
export async function show(options: {
  in: Storage | Destinations | Record<string, Storage>;
  backup?: string;
  asOf?: string;
  keys: KeyWrapper[];
}): Promise<ShowResult> {
  const collection = new Collection(options.in);
  const { chain, layers, layer } = await openLayer(
    collection,
    options.keys,
    options.backup,
    options.asOf,
  );
  const upTo = layers.slice(0, layers.indexOf(layer) + 1);
  const result: ShowResult = {
    full: chain.full,
    layers: [],
    rows: [],
    openedWith: chain.openedWith,
  };
  let previous = new Map<string, ManifestObject>();
  for (const id of upTo) {
    const m: BackupManifest = await collection.manifest(chain.dek, chain.info.chainId, id);
    result.layers.push({
      id,
      type: m.type,
      startTime: m.startTime,
      endTime: m.endTime,
      objects: m.objects.length,
      deleted: m.deleted,
    });
    const children = new Map<string, number>();
    for (const o of m.objects) {
      const slash = o.name.lastIndexOf('/');
      const dir = slash < 0 ? '' : o.name.slice(0, slash);
      children.set(dir, (children.get(dir) ?? 0) + 1);
    }
    for (const o of m.objects) {
      const before = previous.get(o.name);
      if (before && JSON.stringify(before) === JSON.stringify(o)) continue;
      result.rows.push({
        object: o.name,
        objectType: o.type,
        backupType: m.type,
        layer: id,
        startTime: m.startTime,
        endTime: m.endTime,
        size: o.size,
        entries: o.type === 'dir' ? (children.get(o.name) ?? 0) : 1,
        locality: o.data?.locality ?? 'default',
      });
    }
    previous = new Map(m.objects.map((o) => [o.name, o]));
  }
  return result;
}
