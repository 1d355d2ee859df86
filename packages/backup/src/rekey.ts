import type { KeyWrapper } from '@sealstream/kms';
import type { TreeEntry } from '@sealstream/manifest';
import type { Storage } from '@sealstream/storage';
import { readObject, StorageError, writeObject } from '@sealstream/storage';
import { decodeHex, equalBytes } from '@sealstream/streams';
import { BackupError } from './BackupError.ts';
import type { BackupEntry } from './BackupSource.ts';
import { backup } from './backup.ts';
import { Collection, type Destinations, MAX_POINTER_BYTES, SNAPSHOT } from './Collection.ts';
import { openChain } from './openChain.ts';
import { openLayer } from './openLayer.ts';
import { type OwnerNames, ownerNames } from './ownerNames.ts';
import type { ChainPacks } from './repository/ChainPacks.ts';
import type { SnapshotFile } from './repository/readSnapshots.ts';
import { msOf, walkTree } from './repository/walkTree.ts';
import { verify } from './verify.ts';

/** Name of the marker a re-encrypted chain carries: the full backup it is a copy of. */
export const REKEYED_FROM = 'REKEYED_FROM';

/** Options of {@link rekey}. */
export interface RekeyOptions {
  /** The collection: one storage, or one per locality (`default` holds the metadata). */
  collection: Storage | Destinations | Record<string, Storage>;
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
  /** Blobs (chunks and trees) and data bytes read back and authenticated in the new chain. */
  verified: { blobs: number; bytes: number };
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
 * - Each new layer holds exactly the tree of its old layer (names, types, modes, owners, times,
 *   inodes, sizes, targets); every byte is read authenticated from the old chain, chunked and
 *   sealed anew (chunk boundaries and ids are keyed, so nothing of the old chain carries over).
 *   A file unchanged between two old layers is not read again for the second.
 * - Resumable: a new chain records which chain it copies (`REKEYED_FROM`); a rerun with the same
 *   new keys continues after the last layer committed.
 * - Verified: the new chain is read back and authenticated ({@link verify}) and each layer's
 *   tree compared with the old one before anything else happens.
 * - Only then does LATEST move to the new chain (when it pointed to the old one), and with
 *   `deleteOld` the old chain is deleted: its full backup's snapshot first, so a crash midway
 *   leaves nothing visible.
 *
 * New layers get new ids (the time they were copied); the result maps old ids to new ones.
 *
 * @example
 * ```ts
 * import { rekey } from '@sealstream/backup';
 * const r = await rekey({ collection: storage, keys: [oldKey], newKeys: [newKey], deleteOld: true });
 * console.log(`${r.from} → ${r.to}`);
 * ```
 */
export async function rekey(options: RekeyOptions): Promise<RekeyResult> {
  if (options.newKeys.length === 0)
    throw new BackupError('ERR_BACKUP_NO_KEY', 'rekey needs at least one new key');
  const collection = new Collection(options.collection);
  const { full: from } = await collection.resolve(options.backup);
  const old = await openLayer(collection, options.keys, from, undefined);
  const localities = new Map<string, string>();
  const wasLatest = (await collection.latest().catch(() => undefined)) === from;
  const clock = monotonic(options.now ?? (() => new Date()));

  let to = await findCopy(collection, from, options.newKeys);
  const newLayers = to === undefined ? [] : await collection.layers(to);
  const resumed = newLayers.length;
  for (let i = resumed; i < old.layers.length; i++) {
    const layer = (old.layers[i] as SnapshotFile).snapshot;
    const result = await backup({
      collection: collection.destinations,
      keys: options.newKeys,
      entries: entriesOf(old.packs, decodeHex(layer.root), ownerNames(layer.owners)),
      locality: (name) => localities.get(name) ?? 'default',
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

  const fresh = await openLayer(collection, options.newKeys, to, undefined);
  if (fresh.layers.length !== old.layers.length)
    throw new BackupError(
      'ERR_BACKUP_CORRUPT',
      `the copy ${to} has ${fresh.layers.length} layers, ${from} has ${old.layers.length}`,
    );
  for (let i = 0; i < old.layers.length; i++) {
    const a = (old.layers[i] as SnapshotFile).snapshot;
    const b = (fresh.layers[i] as SnapshotFile).snapshot;
    if (!(await sameTree(old.packs, decodeHex(a.root), fresh.packs, decodeHex(b.root))))
      throw new BackupError(
        'ERR_BACKUP_CORRUPT',
        `the copy ${b.layerId} does not hold the tree of ${a.layerId}`,
      );
  }
  const checked = await verify({
    collection: collection.destinations,
    keys: options.newKeys,
    backup: newLayers[newLayers.length - 1] as string,
  });
  if (wasLatest) await collection.pointLatestTo(to, clock());
  if (options.deleteOld) await deleteChain(collection, from);
  return {
    from,
    to,
    layers: old.layers.map((l, i) => ({ from: l.snapshot.layerId, to: newLayers[i] as string })),
    resumed,
    verified: { blobs: checked.blobs, bytes: checked.bytes },
    latest: wasLatest,
    deletedOld: options.deleteOld === true,
  };

  /** The entries of an old layer's tree, whose bytes are read from the old chain. */
  async function* entriesOf(
    packs: ChainPacks,
    root: Uint8Array,
    names: OwnerNames,
  ): AsyncGenerator<BackupEntry> {
    for await (const { path, entry: e } of walkTree(packs.trees, root)) {
      const user = names.user(e.uid);
      const group = names.group(e.gid);
      const entry: BackupEntry = {
        name: path,
        type: e.type,
        mode: e.mode,
        mtime: msOf(e.mtimeNs),
        stat: {
          mtimeNs: e.mtimeNs,
          ctimeNs: e.ctimeNs,
          ino: e.inode,
          dev: e.device,
          uid: e.uid,
          gid: e.gid,
          ...(e.links === undefined ? {} : { nlink: e.links }),
          ...(e.xattrs === undefined ? {} : { xattrs: e.xattrs }),
          ...(user === undefined ? {} : { user }),
          ...(group === undefined ? {} : { group }),
        },
      };
      if (e.target !== undefined) entry.target = e.target;
      if (e.type === 'file' || e.type === 'stream') {
        entry.size = Number(e.size);
        const chunks = e.chunks ?? [];
        const first = chunks[0] === undefined ? undefined : packs.locate(chunks[0]);
        if (first !== undefined && first.locality !== 'default')
          localities.set(path, first.locality);
        let next = 0;
        entry.open = () =>
          new ReadableStream<Uint8Array>(
            {
              async pull(controller) {
                const id = chunks[next++];
                if (id === undefined) controller.close();
                else controller.enqueue(await packs.readChunk(id));
              },
            },
            { highWaterMark: 0 },
          );
      }
      yield entry;
    }
  }
}

/** Whether two trees hold the same entries: names, types, metadata, sizes and targets. */
async function sameTree(
  aPacks: ChainPacks,
  a: Uint8Array,
  bPacks: ChainPacks,
  b: Uint8Array,
): Promise<boolean> {
  const left = walkTree(aPacks.trees, a);
  const right = walkTree(bPacks.trees, b);
  for (;;) {
    const [x, y] = await Promise.all([left.next(), right.next()]);
    if (x.done || y.done) return x.done === true && y.done === true;
    const p = x.value.entry;
    const q = y.value.entry;
    if (
      x.value.path !== y.value.path ||
      p.type !== q.type ||
      p.mode !== q.mode ||
      p.uid !== q.uid ||
      p.gid !== q.gid ||
      p.mtimeNs !== q.mtimeNs ||
      p.ctimeNs !== q.ctimeNs ||
      p.inode !== q.inode ||
      p.device !== q.device ||
      p.size !== q.size ||
      p.target !== q.target ||
      p.links !== q.links ||
      !sameXattrs(p.xattrs, q.xattrs)
    )
      return false;
  }
}

function sameXattrs(a: TreeEntry['xattrs'], b: TreeEntry['xattrs']): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (
    a.length === b.length &&
    a.every((x, i) => x.name === b[i]?.name && equalBytes(x.value, b[i].value))
  );
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

/** Deletes every file of a chain in every destination, its full backup's snapshot first. */
async function deleteChain(collection: Collection, full: string): Promise<void> {
  await collection.main.delete(`${full}/${SNAPSHOT}`);
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
