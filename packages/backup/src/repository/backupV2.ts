import type { KeyWrapper } from '@sealstream/kms';
import {
  type ChainKeys,
  checkSnapshotChain,
  deriveChainKeys,
  openSnapshot,
  type Snapshot,
  sealSnapshot,
  snapshotDigest,
} from '@sealstream/manifest';
import { readObject, type Storage, StorageError, writeObject } from '@sealstream/storage';
import type { CompressChunkOptions, GearChunkerOptions } from '@sealstream/streams';
import { decodeHex, encodeHex } from '@sealstream/streams';
import { BackupError, withFile } from '../BackupError.ts';
import type { BackupEntry } from '../BackupSource.ts';
import { fullBackupId, incrementalBackupId } from '../backupId.ts';
import { Collection, type Destinations } from '../Collection.ts';
import { writeFirstEnvelope } from '../keyEntries.ts';
import { type OpenChain, openChain, openChainForIncremental } from '../openChain.ts';
import { BlobIndex } from './BlobIndex.ts';
import { ChunkStore, type ChunkStoreStats } from './ChunkStore.ts';
import { TreeStore } from './TreeStore.ts';
import { writeTree } from './writeTree.ts';

/** The file that commits a v2 layer: its sealed snapshot. */
export const SNAPSHOT = 'SNAPSHOT';

/** Options of {@link backupV2}. */
export interface BackupV2Options {
  /** The collection (one storage; localities come later). */
  into: Storage | Destinations | Record<string, Storage>;
  /** Backup entries in depth-first pre-order (as `walkDirectory` yields them). */
  entries: AsyncIterable<BackupEntry> | Iterable<BackupEntry>;
  keys: KeyWrapper[];
  /** Take an incremental layer of LATEST's chain (`true`) or of a named full backup. */
  incremental?: boolean | string;
  chunker?: GearChunkerOptions;
  compression?: CompressChunkOptions;
  /** Data pack size (default 16 MiB). */
  packBytes?: number;
  now?: () => Date;
}

/** What {@link backupV2} committed. */
export interface BackupV2Result {
  id: string;
  full: string;
  type: 'full' | 'incremental';
  /** Entries and plaintext bytes in the layer's tree. */
  entries: number;
  bytes: number;
  /** Files taken over from the parent layer without being read. */
  unchanged: number;
  chunks: ChunkStoreStats;
}

/**
 * Takes a layer in collection format v2 (docs/COLLECTION-FORMAT-V2.md): a full backup starts a
 * chain whose root key is fresh and whose id is derived from it; an incremental opens the chain
 * (the seed's key rules: only the full backup's keys), checks its snapshot chain, loads its blob
 * index from the packs, and stores only chunks and trees the chain lacks. Commit protocol:
 * ENCRYPTION_INFO (full only, create-if-absent), packs, the sealed snapshot (create-if-absent:
 * the commit point), then a LATEST pointer (full only).
 *
 * @example
 * ```ts
 * const r = await backupV2({ into: storage, keys, entries: walkDirectory('/srv/data') });
 * ```
 */
export async function backupV2(options: BackupV2Options): Promise<BackupV2Result> {
  const collection = new Collection(options.into, { commitFile: SNAPSHOT });
  const now = options.now ?? (() => new Date());
  const start = now();
  if (options.keys.length === 0)
    throw new BackupError(
      'ERR_BACKUP_NO_KEY',
      'a backup needs at least one KMS key or a passphrase',
    );
  const incremental = options.incremental !== undefined && options.incremental !== false;
  let id: string;
  let full: string;
  let keys: ChainKeys;
  let index: BlobIndex;
  let parent: { snapshot: Snapshot; sealed: Uint8Array } | undefined;
  if (!incremental) {
    id = fullBackupId(start);
    full = id;
    const root = crypto.getRandomValues(new Uint8Array(32));
    keys = await deriveChainKeys(root);
    await writeFirstEnvelope(
      collection,
      full,
      { root, chainId: keys.chainId },
      options.keys,
      start,
    );
    index = new BlobIndex();
  } else {
    const named = options.incremental === true ? 'LATEST' : (options.incremental as string);
    full = (await collection.resolve(named)).full;
    const chain = await openChainForIncremental(collection, full, options.keys);
    keys = await chainKeysOf(chain);
    const layers = await readSnapshots(collection, keys, full);
    parent = layers[layers.length - 1];
    index = await BlobIndex.load(collection.main, full, keys);
    id = incrementalBackupId(full, start);
    if (parent === undefined || id <= parent.snapshot.layerId)
      throw new BackupError(
        'ERR_BACKUP_CONFLICT',
        `layer ${id} is not newer than ${parent?.snapshot.layerId}; check the clock`,
      );
  }

  const storage = collection.main;
  const chunks = new ChunkStore({
    storage,
    chain: full,
    keys,
    index,
    ...(options.chunker === undefined ? {} : { chunker: options.chunker }),
    ...(options.compression === undefined ? {} : { compression: options.compression }),
    ...(options.packBytes === undefined ? {} : { packBytes: options.packBytes }),
  });
  const trees = new TreeStore({ storage, chain: full, keys, index });
  const written = await writeTree(
    options.entries,
    { chunks, trees },
    parent === undefined ? {} : { parentRoot: decodeHex(parent.snapshot.root) },
  );
  await chunks.finish();
  await trees.finish();

  const snapshot: Snapshot = {
    layerId: id,
    type: incremental ? 'incremental' : 'full',
    ...(parent === undefined
      ? {}
      : {
          parent: {
            layerId: parent.snapshot.layerId,
            digest: await snapshotDigest(parent.sealed),
          },
        }),
    root: encodeHex(written.root),
    startTime: start.toISOString(),
    endTime: now().toISOString(),
    stats: {
      entries: written.entries,
      bytes: written.bytes,
      newBlobs: chunks.stats.newBlobs + trees.written,
      newBytes: chunks.stats.newBytes,
    },
    localities: ['default'],
  };
  const file = `${id}/${SNAPSHOT}`;
  try {
    await writeObject(storage, file, await sealSnapshot(keys.meta, keys.chainId, snapshot), {
      ifAbsent: true,
    });
  } catch (e) {
    if (e instanceof StorageError && e.code === 'ERR_STORAGE_EXISTS')
      throw new BackupError('ERR_BACKUP_CONFLICT', 'another backup committed the same id; retry', {
        file,
        cause: e,
      });
    throw withFile(e, file);
  }
  if (!incremental) await collection.pointLatestTo(full, start);
  return {
    id,
    full,
    type: snapshot.type,
    entries: written.entries,
    bytes: written.bytes,
    unchanged: written.unchanged,
    chunks: chunks.stats,
  };
}

/**
 * The keys of an opened chain, refusing a data key that is not the chain's: the chain id is
 * derived from the root key, so a key someone else wrapped names another chain.
 */
export async function chainKeysOf(chain: OpenChain): Promise<ChainKeys> {
  const keys = await deriveChainKeys(chain.dek);
  if (keys.chainId !== chain.info.chainId)
    throw new BackupError(
      'ERR_BACKUP_NO_KEY',
      `the data key opened with ${chain.openedWith} belongs to another chain (its id is not ${chain.info.chainId})`,
      { file: chain.file },
    );
  return keys;
}

/** Opens every committed layer of a chain, oldest first, and checks that they form one chain. */
export async function readSnapshots(
  collection: Collection,
  keys: ChainKeys,
  full: string,
): Promise<{ snapshot: Snapshot; sealed: Uint8Array }[]> {
  const out = [];
  for (const layer of await collection.layers(full)) {
    const file = `${layer}/${SNAPSHOT}`;
    const sealed = await readObject(collection.main, file).catch((e: unknown) => {
      throw withFile(e, file);
    });
    out.push({
      snapshot: await openSnapshot(keys.meta, keys.chainId, layer, sealed, file),
      sealed,
    });
  }
  await checkSnapshotChain(out);
  return out;
}

/** Opens a v2 chain with any one of `keys` and returns its keys. */
export async function openChainV2(
  collection: Collection,
  full: string,
  keys: readonly KeyWrapper[],
): Promise<{ chain: OpenChain; keys: ChainKeys }> {
  const chain = await openChain(collection, full, keys);
  return { chain, keys: await chainKeysOf(chain) };
}
