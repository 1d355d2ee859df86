import type { KeyWrapper } from '@sealstream/kms';
import {
  type ChainKeys,
  deriveChainKeys,
  type Snapshot,
  sealSnapshot,
  snapshotDigest,
} from '@sealstream/manifest';
import { type Storage, StorageError, writeObject } from '@sealstream/storage';
import {
  type CompressChunkOptions,
  decodeHex,
  encodeHex,
  type GearChunkerOptions,
} from '@sealstream/streams';
import { BackupError, withFile } from './BackupError.ts';
import type { BackupEntry, Progress } from './BackupSource.ts';
import { fullBackupId, incrementalBackupId } from './backupId.ts';
import { Collection, type Destinations, SNAPSHOT } from './Collection.ts';
import { writeFirstEnvelope } from './keyEntries.ts';
import { openChainForIncremental } from './openChain.ts';
import { progressReporter } from './progressReporter.ts';
import { ChainPacks } from './repository/ChainPacks.ts';
import { readSnapshots, type SnapshotFile } from './repository/readSnapshots.ts';
import { type WrittenTree, writeTree } from './repository/writeTree.ts';

export interface BackupOptions {
  /** The collection: one storage, or one per locality (`default` holds the metadata). */
  collection: Storage | Destinations | Record<string, Storage>;
  /**
   * The objects to back up, in depth-first pre-order: a directory before what it holds, and
   * everything under a directory before anything after it (as `walkDirectory` of `@sealstream/fs` yields
   * them). A directory implied by a name but not listed is recorded with empty metadata.
   */
  entries: AsyncIterable<BackupEntry> | Iterable<BackupEntry>;
  /**
   * KMS keys and/or passphrase wrappers. A full backup is wrapped under all of them (a key named
   * twice, e.g. by alias and by ARN, is stored once). An incremental layer must be given only
   * keys of its full backup, compared by canonical identity (`ERR_BACKUP_NEW_KEY` otherwise).
   */
  keys: KeyWrapper[];
  /**
   * Take an incremental layer: `true` (or `'LATEST'`) for the chain LATEST points to, or the id
   * of a full backup. Its keys must all belong to the full backup (no new key).
   */
  incremental?: boolean | string;
  /** Locality of a file's chunks (default: `default`); its destination must be in `collection`. */
  locality?: (name: string) => string;
  /** Files read and chunked at once (default 8). */
  concurrency?: number;
  /** Chunk sizes (docs/CHUNKING.md; default min 512 KiB, average 1 MiB, max 8 MiB). */
  chunker?: GearChunkerOptions;
  /** Compression of each chunk (docs/COMPRESSION.md; default automatic). */
  compression?: CompressChunkOptions;
  /** A data pack is written once it holds this many bytes (default 16 MiB). */
  packBytes?: number;
  /**
   * Whether a full backup becomes LATEST (default true). `false` leaves LATEST where it is
   * (a chain being re-encrypted moves it only once it is complete).
   */
  latest?: boolean;
  /** Totals for progress reports, when known. */
  totalObjects?: number;
  totalBytes?: number;
  onProgress?: (p: Progress) => void;
  /**
   * Called when reading or storing a file's bytes fails. Return `true` to leave the file out of
   * this layer and go on; otherwise, and by default, the backup fails. The CLI skips files that
   * changed since they were listed (`ERR_CLI_SOURCE_CHANGED`).
   */
  skipObject?: (name: string, error: unknown) => boolean;
  /** Clock (tests). */
  now?: () => Date;
}

export interface BackupResult {
  id: string;
  full: string;
  type: 'full' | 'incremental';
  startTime: string;
  endTime: string;
  /** Entries (files, directories, symlinks, streams) in the tree at this layer. */
  objects: number;
  /** Plaintext bytes of the tree at this layer. */
  bytes: number;
  /** Files read by this layer (new or changed; unchanged files are not read) and their bytes. */
  written: { objects: number; bytes: number };
  /** Files kept from the parent layer without being read. */
  unchanged: number;
  /** Files left out by `skipObject`. */
  skipped: number;
  /** Entries of the parent layer this layer no longer has (a deleted directory counts once). */
  deleted: number;
  /** What reached storage: new chunks and trees, their plaintext bytes, packs and pack bytes. */
  stored: { blobs: number; bytes: number; packs: number; packBytes: number };
  /** Redacted URIs of the keys used. */
  keys: string[];
}

/**
 * Takes a full backup (a new chain, in a new dated directory of the collection) or an
 * incremental layer of an existing chain, in collection format v2 (docs/COLLECTIONS.md): file
 * bytes are cut into keyed content-defined chunks, compressed, sealed and packed; only chunks
 * and directory trees the chain lacks are stored; an incremental reads only files whose
 * metadata changed since its parent layer.
 *
 * Commit protocol: ENCRYPTION_INFO (full only, create-if-absent), packs, the sealed snapshot
 * naming its parent's digest (create-if-absent; for a full backup, the commit point), then for
 * an incremental the claim of the place after its parent (create-if-absent: its commit point;
 * of layers racing for one chain exactly one wins, the others fail with `ERR_BACKUP_CONFLICT`),
 * or for a full backup a LATEST pointer. A failure at any point leaves earlier backups and LATEST
 * as they were; an unfinished layer is invisible.
 *
 * @example
 * ```ts
 * import { backup } from '@sealstream/backup';
 * import { passphraseWrapper } from '@sealstream/kms';
 * import { localStorage } from '@sealstream/storage-local';
 * const result = await backup({
 *   collection: localStorage('/tmp/collection'),
 *   keys: [passphraseWrapper('correct horse battery staple')],
 *   entries: [{ name: 'hello.txt', type: 'stream', open: () => new Blob(['hello']).stream() }],
 * });
 * console.log(result.id); // e.g. '2026/11/28-011500.12'
 * ```
 */
export async function backup(options: BackupOptions): Promise<BackupResult> {
  if (options.keys.length === 0)
    throw new BackupError(
      'ERR_BACKUP_NO_KEY',
      'a backup needs at least one KMS key or a passphrase',
    );
  const collection = new Collection(options.collection);
  const now = options.now ?? (() => new Date());
  const start = now();
  // 1. A new chain with its first key envelope, or the chain an incremental joins.
  const layer =
    options.incremental !== undefined && options.incremental !== false
      ? await startIncremental(collection, options, start)
      : await startFull(collection, options, start);
  // 2. Packs: the tree's new chunks and trees.
  const progress = progressReporter('backup', options.onProgress, options);
  const written = await writeTree(options.entries, layer.packs, {
    localityOf: options.locality ?? (() => 'default'),
    onEntry: () => progress.object(),
    onBytes: (n) => progress.bytes(n),
    ...(layer.parent === undefined ? {} : { parentRoot: decodeHex(layer.parent.snapshot.root) }),
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.skipObject === undefined ? {} : { skipObject: options.skipObject }),
  });
  await layer.packs.finish();
  // 3. The snapshot: a full backup's commit point.
  const snapshot = await snapshotOf(layer, written, start, now());
  await commitSnapshot(collection, layer, snapshot);
  // 4. An incremental's commit point: the place after its parent. A full one becomes LATEST.
  if (layer.parent !== undefined)
    await collection.claimNext(layer.full, layer.parent.snapshot.layerId, layer.id);
  else if (options.latest !== false) await collection.pointLatestTo(layer.full, start);
  progress.done();
  const stats = layer.packs.stats;
  return {
    id: layer.id,
    full: layer.full,
    type: snapshot.type,
    startTime: snapshot.startTime,
    endTime: snapshot.endTime,
    objects: written.entries,
    bytes: written.bytes,
    written: { objects: written.read.files, bytes: written.read.bytes },
    unchanged: written.unchanged,
    skipped: written.skipped,
    deleted: written.deleted,
    stored: {
      blobs: snapshot.stats.newBlobs,
      bytes: stats.newBytes,
      packs: stats.packs,
      packBytes: stats.packBytes,
    },
    keys: options.keys.map((k) => k.redactedUri),
  };
}

/** A layer being written: its id, its chain's keys and packs, and (incremental) its parent. */
interface OpenLayer {
  id: string;
  full: string;
  keys: ChainKeys;
  packs: ChainPacks;
  parent?: SnapshotFile;
}

/** How packs are cut and compressed, from the options. */
function packOptions(options: BackupOptions) {
  return {
    ...(options.chunker === undefined ? {} : { chunker: options.chunker }),
    ...(options.compression === undefined ? {} : { compression: options.compression }),
    ...(options.packBytes === undefined ? {} : { packBytes: options.packBytes }),
  };
}

/** A new chain: a fresh root key, its first ENCRYPTION_INFO generation, empty packs. */
async function startFull(
  collection: Collection,
  options: BackupOptions,
  start: Date,
): Promise<OpenLayer> {
  const full = fullBackupId(start);
  const root = crypto.getRandomValues(new Uint8Array(32));
  const keys = await deriveChainKeys(root);
  try {
    await writeFirstEnvelope(collection, full, { root, keys }, options.keys, start);
  } finally {
    root.fill(0);
  }
  return {
    id: full,
    full,
    keys,
    packs: ChainPacks.create(collection, full, keys, packOptions(options)),
  };
}

/** The chain an incremental joins (LATEST or named), opened by the given keys, and its last layer. */
async function startIncremental(
  collection: Collection,
  options: BackupOptions,
  start: Date,
): Promise<OpenLayer> {
  const named = options.incremental === true ? 'LATEST' : (options.incremental as string);
  const full = (await collection.resolve(named)).full;
  const { keys } = await openChainForIncremental(collection, full, options.keys);
  const layers = await readSnapshots(collection, keys, full);
  const parent = layers[layers.length - 1] as SnapshotFile;
  const id = incrementalBackupId(full, start);
  if (id <= parent.snapshot.layerId)
    throw new BackupError(
      'ERR_BACKUP_CONFLICT',
      `layer ${id} is not newer than ${parent.snapshot.layerId}; check the clock`,
    );
  const packs = await ChainPacks.open(collection, full, keys, packOptions(options));
  return { id, full, keys, packs, parent };
}

/** The layer's snapshot: its tree, its parent's digest, times, counts, localities and owners. */
async function snapshotOf(
  layer: OpenLayer,
  written: WrittenTree,
  start: Date,
  end: Date,
): Promise<Snapshot> {
  const { packs, parent } = layer;
  return {
    layerId: layer.id,
    type: parent === undefined ? 'full' : 'incremental',
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
    endTime: end.toISOString(),
    stats: {
      entries: written.entries,
      bytes: written.bytes,
      newBlobs: packs.stats.newBlobs + packs.trees.written,
      newBytes: packs.stats.newBytes,
    },
    localities: packs.written.length === 0 ? ['default'] : packs.written.sort(),
    ...(written.owners === undefined ? {} : { owners: written.owners }),
  };
}

/** Writes the sealed snapshot, create-if-absent: another backup with the same id is a conflict. */
async function commitSnapshot(
  collection: Collection,
  layer: OpenLayer,
  snapshot: Snapshot,
): Promise<void> {
  const file = `${layer.id}/${SNAPSHOT}`;
  const sealed = await sealSnapshot(layer.keys.meta, layer.keys.chainId, snapshot);
  try {
    await writeObject(collection.main, file, sealed, { ifAbsent: true });
  } catch (e) {
    if (e instanceof StorageError && e.code === 'ERR_STORAGE_EXISTS')
      throw new BackupError('ERR_BACKUP_CONFLICT', 'another backup committed the same id; retry', {
        file,
        cause: e,
      });
    throw withFile(e, file);
  }
}
