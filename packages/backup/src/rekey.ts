import type { KeyWrapper } from '@sealstream/kms';
import type { BackupManifest, ManifestObject } from '@sealstream/manifest';
import type { Storage } from '@sealstream/storage';
import { readObject, StorageError, writeObject } from '@sealstream/storage';
import { BackupError } from './BackupError.ts';
import type { BackupEntry } from './BackupSource.ts';
import { backup } from './backup.ts';
import { Collection, type Destinations, MAX_POINTER_BYTES } from './Collection.ts';
import { type OpenChain, openChain } from './openChain.ts';
import { readSealed } from './readSealed.ts';
import { verify } from './verify.ts';

/** Name of the marker a re-encrypted chain carries: the full backup it is a copy of. */
export const REKEYED_FROM = 'REKEYED_FROM';

/** Options of {@link rekey}. */
export interface RekeyOptions {
  /** The collection: one storage, or one per locality (`default` holds the metadata). */
  in: Storage | Destinations | Record<string, Storage>;
  /** The chain to re-encrypt, by its full backup or any layer (default: LATEST). */
  backup?: string;
  /** Any current key of that chain. */
  keys: KeyWrapper[];
  /** The keys of the new chain (all of them: none is carried over). */
  newKeys: KeyWrapper[];
  /** After the new chain is verified, delete the old one (default false). */
  deleteOld?: boolean;
  /** Clock (tests). */
  now?: () => Date;
}

/** What {@link rekey} did. */
export interface RekeyResult {
  /** The old chain's full backup. */
  from: string;
  /** The new chain's full backup. */
  to: string;
  /** Each old layer and the new layer that holds the same tree. */
  layers: { from: string; to: string }[];
  /** Layers an earlier, interrupted run had already copied. */
  resumed: number;
  /** Objects and bytes read back and authenticated in the new chain. */
  verified: { files: number; bytes: number };
  /** Whether LATEST now points to the new chain (it did to the old one). */
  latest: boolean;
  deletedOld: boolean;
}

/**
 * Re-encrypts a chain under a new data key: every layer of the old chain (the full backup, then
 * each incremental) is copied, oldest first, into a new chain whose data key is fresh and wrapped
 * only by `newKeys`. This is revocation: whoever held an entry of the old chain, or its data key,
 * cannot open the new one.
 *
 * - Each new layer holds exactly the tree of its old layer (names, types, modes, times, bytes,
 *   deletions); every byte is read authenticated from the old chain and sealed anew.
 * - Resumable: a new chain records which chain it copies (`REKEYED_FROM`); a rerun with the same
 *   new keys continues after the last layer committed.
 * - Verified: the new chain is read back and authenticated ({@link verify}) and each layer's
 *   tree compared with the old one before anything else happens.
 * - Only then does LATEST move to the new chain (when it pointed to the old one), and with
 *   `deleteOld` the old chain is deleted: its full backup's manifest first, so a crash midway
 *   leaves nothing visible.
 *
 * New layers get new ids (the time they were copied); the result maps old ids to new ones.
 *
 * @example
 * ```ts
 * import { rekey } from '@sealstream/backup';
 * const r = await rekey({ in: storage, keys: [oldKey], newKeys: [newKey], deleteOld: true });
 * console.log(`${r.from} → ${r.to}`);
 * ```
 */
export async function rekey(options: RekeyOptions): Promise<RekeyResult> {
  if (options.newKeys.length === 0)
    throw new BackupError('ERR_BACKUP_NO_KEY', 'rekey needs at least one new key');
  const collection = new Collection(options.in);
  const { full: from } = await collection.resolve(options.backup);
  const old = await openChain(collection, from, options.keys);
  const oldLayers = await collection.layers(from);
  const wasLatest = (await collection.latest().catch(() => undefined)) === from;
  const clock = monotonic(options.now ?? (() => new Date()));

  let to = await findCopy(collection, from, options.newKeys);
  const newLayers = to === undefined ? [] : await collection.layers(to);
  const resumed = newLayers.length;
  for (let i = resumed; i < oldLayers.length; i++) {
    const manifest = await collection.manifest(old.dek, old.info.chainId, oldLayers[i] as string);
    const result = await backup({
      into: collection.destinations,
      keys: options.newKeys,
      entries: entriesOf(collection, old, manifest),
      locality: localities(manifest),
      latest: false,
      now: clock,
      ...(to === undefined ? {} : { incremental: to }),
    });
    if (to === undefined) {
      to = result.full;
      await markCopy(collection, to, from);
    }
    newLayers.push(result.id);
  }
  if (to === undefined) throw new BackupError('ERR_BACKUP_NOT_FOUND', `${from} has no layers`);

  const fresh = await openChain(collection, to, options.newKeys);
  for (let i = 0; i < oldLayers.length; i++) {
    const a = await collection.manifest(old.dek, old.info.chainId, oldLayers[i] as string);
    const b = await collection.manifest(fresh.dek, fresh.info.chainId, newLayers[i] as string);
    if (treeOf(a) !== treeOf(b))
      throw new BackupError(
        'ERR_BACKUP_CORRUPT',
        `the copy ${newLayers[i]} does not hold the tree of ${oldLayers[i]}`,
      );
  }
  const checked = await verify({
    in: collection.destinations,
    keys: options.newKeys,
    backup: newLayers[newLayers.length - 1] as string,
  });
  if (wasLatest) await collection.pointLatestTo(to, clock());
  if (options.deleteOld) await deleteChain(collection, from);
  return {
    from,
    to,
    layers: oldLayers.map((id, i) => ({ from: id, to: newLayers[i] as string })),
    resumed,
    verified: { files: checked.files, bytes: checked.bytes },
    latest: wasLatest,
    deletedOld: options.deleteOld === true,
  };
}

/** The objects of a layer as backup entries whose bytes come from the old chain. */
function entriesOf(
  collection: Collection,
  old: OpenChain,
  manifest: BackupManifest,
): BackupEntry[] {
  return manifest.objects.map((o) => {
    const entry: BackupEntry = { name: o.name, type: o.type };
    if (o.mode !== undefined) entry.mode = o.mode;
    if (o.mtime !== undefined) entry.mtime = o.mtime;
    if (o.target !== undefined) entry.target = o.target;
    if (o.type === 'file' || o.type === 'stream') {
      entry.size = o.size;
      entry.open = () => readSealed(collection, old.info.chainId, old.dek, o);
    }
    return entry;
  });
}

/** Each object goes to the locality its old data was in. */
function localities(manifest: BackupManifest): (name: string) => string {
  const where = new Map(manifest.objects.map((o) => [o.name, o.data?.locality ?? 'default']));
  return (name) => where.get(name) ?? 'default';
}

/** A layer's tree as comparable text: everything but where its bytes are stored. */
function treeOf(m: BackupManifest): string {
  const strip = ({ data: _data, ...rest }: ManifestObject) => rest;
  return JSON.stringify({
    objects: m.objects.map(strip),
    deleted: [...m.deleted].sort(),
    type: m.type,
  });
}

/** The newest chain made by an earlier run copying `from` that `keys` open, if any. */
async function findCopy(
  collection: Collection,
  from: string,
  keys: readonly KeyWrapper[],
): Promise<string | undefined> {
  for (const full of (await collection.fullBackups()).reverse()) {
    if (full <= from) break; // a copy is always newer than its original
    const marker = `${full}/${REKEYED_FROM}`;
    if ((await collection.main.stat(marker)) === undefined) continue;
    // A marker too large to name a backup names none.
    const bytes = await readObject(collection.main, marker, undefined, {
      maxBytes: MAX_POINTER_BYTES,
    }).catch((e) => {
      if (e instanceof StorageError && e.code === 'ERR_STORAGE_TOO_LARGE') return undefined;
      throw e;
    });
    if (bytes === undefined || new TextDecoder().decode(bytes).trim() !== from) continue;
    try {
      await openChain(collection, full, keys);
      return full;
    } catch (e) {
      if (!(e instanceof BackupError && e.code === 'ERR_BACKUP_NO_KEY')) throw e;
    }
  }
  return undefined;
}

async function markCopy(collection: Collection, to: string, from: string): Promise<void> {
  try {
    await writeObject(
      collection.main,
      `${to}/${REKEYED_FROM}`,
      new TextEncoder().encode(`${from}\n`),
      {
        ifAbsent: true,
      },
    );
  } catch (e) {
    if (!(e instanceof StorageError && e.code === 'ERR_STORAGE_EXISTS')) throw e;
  }
}

/** Deletes every file of a chain in every destination, its full backup's manifest first. */
async function deleteChain(collection: Collection, full: string): Promise<void> {
  await collection.main.delete(`${full}/BACKUP_MANIFEST`);
  for (const storage of collection.destinations.values()) {
    const keys: string[] = [];
    for await (const o of storage.list(`${full}/`)) keys.push(o.key);
    for (const key of keys) await storage.delete(key);
  }
}

/** A clock whose every reading is at least 10 ms after the one before (layer ids are in hundredths). */
function monotonic(now: () => Date): () => Date {
  let last = 0;
  return () => {
    last = Math.max(now().getTime(), last + 10);
    return new Date(last);
  };
}
