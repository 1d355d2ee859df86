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
import { writeTree } from './repository/writeTree.ts';

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
  const collection = new Collection(options.collection);
  const now = options.now ?? (() => new Date());
  const start = now();
  if (options.keys.length === 0)
    throw new BackupError(
      'ERR_BACKUP_NO_KEY',
      'a backup needs at least one KMS key or a passphrase',
    );
  const localityOf = options.locality ?? (() => 'default');
  const write = {
    ...(options.chunker === undefined ? {} : { chunker: options.chunker }),
    ...(options.compression === undefined ? {} : { compression: options.compression }),
    ...(options.packBytes === undefined ? {} : { packBytes: options.packBytes }),
  };
  const incremental = options.incremental !== undefined && options.incremental !== false;
  let id: string;
  let full: string;
  let keys: ChainKeys;
  let packs: ChainPacks;
  let parent: SnapshotFile | undefined;
  if (!incremental) {
    id = fullBackupId(start);
    full = id;
    const root = crypto.getRandomValues(new Uint8Array(32));
    keys = await deriveChainKeys(root);
    await writeFirstEnvelope(collection, full, { root, keys }, options.keys, start);
    root.fill(0);
    packs = ChainPacks.create(collection, full, keys, write);
  } else {
    const named = options.incremental === true ? 'LATEST' : (options.incremental as string);
    full = (await collection.resolve(named)).full;
    const chain = await openChainForIncremental(collection, full, options.keys);
    keys = chain.keys;
    const layers = await readSnapshots(collection, keys, full);
    parent = layers[layers.length - 1] as SnapshotFile;
    packs = await ChainPacks.open(collection, full, keys, write);
    id = incrementalBackupId(full, start);
    if (id <= parent.snapshot.layerId)
      throw new BackupError(
        'ERR_BACKUP_CONFLICT',
        `layer ${id} is not newer than ${parent.snapshot.layerId}; check the clock`,
      );
  }

  const progress = progressReporter('backup', options.onProgress, options);
  const written = await writeTree(options.entries, packs, {
    localityOf,
    onEntry: () => progress.object(),
    onBytes: (n) => progress.bytes(n),
    ...(parent === undefined ? {} : { parentRoot: decodeHex(parent.snapshot.root) }),
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.skipObject === undefined ? {} : { skipObject: options.skipObject }),
  });
  await packs.finish();

  const endTime = now().toISOString();
  const stats = packs.stats;
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
    endTime,
    stats: {
      entries: written.entries,
      bytes: written.bytes,
      newBlobs: stats.newBlobs + packs.trees.written,
      newBytes: stats.newBytes,
    },
    localities: packs.written.length === 0 ? ['default'] : packs.written.sort(),
    ...(written.owners === undefined ? {} : { owners: written.owners }),
  };
  const file = `${id}/${SNAPSHOT}`;
  try {
    await writeObject(
      collection.main,
      file,
      await sealSnapshot(keys.meta, keys.chainId, snapshot),
      { ifAbsent: true },
    );
  } catch (e) {
    if (e instanceof StorageError && e.code === 'ERR_STORAGE_EXISTS')
      throw new BackupError('ERR_BACKUP_CONFLICT', 'another backup committed the same id; retry', {
        file,
        cause: e,
      });
    throw withFile(e, file);
  }
  // An incremental is part of its chain once it claims the place after its parent.
  if (parent !== undefined) await collection.claimNext(full, parent.snapshot.layerId, id);
  if (!incremental && options.latest !== false) await collection.pointLatestTo(full, start);
  progress.done();
  return {
    id,
    full,
    type: snapshot.type,
    startTime: snapshot.startTime,
    endTime,
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
