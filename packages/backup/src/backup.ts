import { DEFAULT_SEGMENT_SIZE, encrypt } from '@sealstream/aead';
import type { KeyWrapper } from '@sealstream/kms';
import {
  type BackupManifest,
  type DataRef,
  isSafeObjectName,
  ManifestBuilder,
  type ManifestObject,
  objectAssociatedData,
} from '@sealstream/manifest';
import type { Storage } from '@sealstream/storage';
import { encodeHex } from '@sealstream/streams';
import { BackupError } from './BackupError.ts';
import type { BackupEntry, Progress } from './BackupSource.ts';
import { fullBackupId, incrementalBackupId } from './backupId.ts';
import { Collection, type Destinations } from './Collection.ts';
import { writeFirstEnvelope } from './keyEntries.ts';
import { mapConcurrent } from './mapConcurrent.ts';
import { openChainForIncremental } from './openChain.ts';
import { PACK_OBJECT_BYTES, PackWriter } from './PackWriter.ts';
import { progressReporter } from './progressReporter.ts';
import { readSmall } from './readSmall.ts';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_LARGE_CONCURRENCY,
  LARGE_OBJECT_BYTES,
  Semaphore,
} from './Semaphore.ts';
import { writeSealed } from './writeSealed.ts';

export interface BackupOptions {
  /** The collection: one storage, or one per locality (`default` holds the metadata). */
  into: Storage | Destinations | Record<string, Storage>;
  /** The objects to back up. */
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
  /** Locality of an object (default: `default`); its destination must be in `into`. */
  locality?: (name: string) => string;
  /** Objects uploaded at once (default 8), of which at most `largeConcurrency` (default 2) of 8 MiB or more. */
  concurrency?: number;
  largeConcurrency?: number;
  /**
   * Objects of at most this many bytes are sealed whole and stored back to back in pack objects
   * of about 16 MiB (default 1 MiB; 0: every object gets its own data file). Packing turns a
   * thousand small files into a few writes instead of a thousand (docs/COLLECTIONS.md).
   */
  packUpTo?: number;
  segmentSize?: number;
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
   * Called when reading or storing an object's bytes fails. Return `true` to leave the object out
   * of this layer (nothing of it is committed) and go on; otherwise, and by default, the backup
   * fails. The CLI skips files that changed since they were listed (`ERR_CLI_SOURCE_CHANGED`).
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
  /** Objects in the tree at this layer. */
  objects: number;
  /** Plaintext bytes of the tree at this layer. */
  bytes: number;
  /** Objects and plaintext bytes written by this layer (new or changed). */
  written: { objects: number; bytes: number };
  deleted: number;
  /** Redacted URIs of the keys used. */
  keys: string[];
}

/**
 * Takes a full backup into a new dated subdirectory of the collection, or an incremental layer
 * of an existing chain. Commit protocol: ENCRYPTION_INFO (full only, create-if-absent), data
 * files, the sealed manifest (create-if-absent: the commit point), then a LATEST pointer (full
 * only). A failure at any point leaves earlier backups and LATEST as they were; an unfinished
 * backup has no manifest and is invisible.
 *
 * @example
 * ```ts
 * import { backup } from '@sealstream/backup';
 * import { passphraseWrapper } from '@sealstream/kms';
 * import { localStorage } from '@sealstream/storage-local';
 * const result = await backup({
 *   into: localStorage('/tmp/collection'),
 *   keys: [passphraseWrapper('correct horse battery staple')],
 *   entries: [{ name: 'hello.txt', type: 'stream', open: () => new Blob(['hello']).stream() }],
 * });
 * console.log(result.id); // e.g. '2026/11/28-011500.12'
 * ```
 */
export async function backup(options: BackupOptions): Promise<BackupResult> {
  const collection = new Collection(options.into);
  const now = options.now ?? (() => new Date());
  const start = now();
  const incremental = options.incremental !== undefined && options.incremental !== false;
  const packUpTo = options.packUpTo ?? PACK_OBJECT_BYTES;
  if (!Number.isSafeInteger(packUpTo) || packUpTo < 0) {
    throw new BackupError(
      'ERR_BACKUP_BAD_ARGUMENT',
      `packUpTo must be a non-negative integer, received ${packUpTo}`,
    );
  }
  if (options.keys.length === 0) {
    throw new BackupError(
      'ERR_BACKUP_NO_KEY',
      'a backup needs at least one KMS key or a passphrase',
    );
  }

  let id: string;
  let full: string;
  let chainId: string;
  let dek: Uint8Array;
  let parent: BackupManifest | undefined;
  if (!incremental) {
    id = fullBackupId(start);
    full = id;
    chainId = encodeHex(crypto.getRandomValues(new Uint8Array(16)));
    dek = crypto.getRandomValues(new Uint8Array(32));
    await writeFirstEnvelope(collection, full, { root: dek, chainId }, options.keys, start);
  } else {
    const named = options.incremental === true ? 'LATEST' : (options.incremental as string);
    full = (await collection.resolve(named)).full;
    const chain = await openChainForIncremental(collection, full, options.keys);
    dek = chain.dek;
    chainId = chain.info.chainId;
    const layers = await collection.layers(full);
    const parentId = layers[layers.length - 1] as string;
    parent = await collection.manifest(dek, chainId, parentId);
    id = incrementalBackupId(full, start);
    if (id <= parentId) {
      throw new BackupError(
        'ERR_BACKUP_CONFLICT',
        `layer ${id} is not newer than ${parentId}; check the clock`,
      );
    }
  }

  const builder = new ManifestBuilder({
    backupId: id,
    fullBackup: full,
    chainId,
    type: incremental ? 'incremental' : 'full',
    startTime: start.toISOString(),
    ...(parent ? { parent: parent.backupId } : {}),
  });
  const previous = new Map(parent?.objects.map((o) => [o.name, o]));
  const tag = encodeHex(crypto.getRandomValues(new Uint8Array(6)));
  let serial = 0;
  let written = 0;
  let writtenBytes = 0;
  let totalBytes = 0;
  const progress = progressReporter('backup', options.onProgress, options);
  const localityOf = options.locality ?? (() => 'default');

  const large = new Semaphore(options.largeConcurrency ?? DEFAULT_LARGE_CONCURRENCY);
  const segmentSize = options.segmentSize ?? DEFAULT_SEGMENT_SIZE;
  const segmentOption = options.segmentSize === undefined ? {} : { segmentSize };
  const packs = new Map<string, PackWriter>();
  const packFor = (locality: string): PackWriter => {
    let p = packs.get(locality);
    if (p === undefined) {
      p = new PackWriter(collection.storageFor(locality), (n) => `${id}/data/${tag}-p${n}.ssp`);
      packs.set(locality, p);
    }
    return p;
  };
  /** Seals one object's bytes: whole into a pack when small, else streamed to a data file. */
  const store = async (
    entry: BackupEntry,
    open: () => ReadableStream<Uint8Array> | Promise<ReadableStream<Uint8Array>>,
    locality: string,
  ): Promise<{ size: number; data?: DataRef }> => {
    const associatedData = objectAssociatedData(chainId, id, entry.name);
    let opened: ReadableStream<Uint8Array> | undefined;
    if (entry.size !== undefined && entry.size <= packUpTo) {
      // Small: seal it whole into a pack, unless it grew past the limit since it was listed.
      const small = await readSmall(await open(), packUpTo);
      if ('bytes' in small) {
        const plain = small.bytes;
        progress.bytes(plain.byteLength);
        if (plain.byteLength === 0) return { size: 0 };
        const sealed = await encrypt(dek, plain, { associatedData, ...segmentOption });
        const slot = await packFor(locality).add(sealed);
        return {
          size: plain.byteLength,
          data: {
            path: slot.path,
            locality,
            layer: id,
            ciphertextSize: sealed.byteLength,
            segmentSize,
            offset: slot.offset,
          },
        };
      }
      opened = small.stream;
    }
    const storage = collection.storageFor(locality);
    const path = `${id}/data/${tag}-${++serial}.sst`;
    const upload = async () =>
      writeSealed(storage, path, opened ?? (await open()), {
        dek,
        associatedData,
        ...segmentOption,
        size: entry.size,
        onBytes: (n) => progress.bytes(n),
      });
    // A stream of unknown size counts as large.
    const r =
      (entry.size ?? LARGE_OBJECT_BYTES) >= LARGE_OBJECT_BYTES
        ? await large.run(upload)
        : await upload();
    return {
      size: r.plaintextSize,
      data: { path, locality, layer: id, ciphertextSize: r.ciphertextSize, segmentSize },
    };
  };
  try {
    await mapConcurrent(
      options.entries,
      options.concurrency ?? DEFAULT_CONCURRENCY,
      async (entry) => {
        if (!isSafeObjectName(entry.name)) {
          throw new BackupError(
            'ERR_BACKUP_BAD_SOURCE',
            `object name ${JSON.stringify(entry.name)} is not a safe relative path`,
          );
        }
        const obj: ManifestObject = { name: entry.name, type: entry.type, size: 0 };
        if (entry.mode !== undefined) obj.mode = entry.mode;
        if (entry.mtime !== undefined) obj.mtime = Math.trunc(entry.mtime);
        if (entry.type === 'symlink') {
          if (entry.target === undefined)
            throw new BackupError('ERR_BACKUP_BAD_SOURCE', `symlink ${entry.name} has no target`);
          obj.target = entry.target;
        } else if (entry.type === 'file' || entry.type === 'stream') {
          const locality = localityOf(entry.name);
          const prev = previous.get(entry.name);
          if (entry.type === 'file' && prev && unchanged(prev, entry, locality)) {
            Object.assign(obj, { size: prev.size }, prev.data ? { data: prev.data } : {});
          } else if (entry.size === 0 && entry.type === 'file') {
            // An empty file needs no data object.
          } else {
            if (!entry.open)
              throw new BackupError('ERR_BACKUP_BAD_SOURCE', `${entry.name} has no open()`);
            let r: Awaited<ReturnType<typeof store>>;
            try {
              r = await store(entry, entry.open, locality);
            } catch (error) {
              if (options.skipObject?.(entry.name, error)) {
                progress.object();
                return;
              }
              throw error;
            }
            obj.size = r.size;
            if (r.data) {
              obj.data = r.data;
              written += 1;
              writtenBytes += r.size;
            }
          }
        }
        totalBytes += obj.size;
        builder.add(obj);
        progress.object();
      },
    );
    // Every pack is committed before the manifest can name it.
    for (const p of packs.values()) await p.finish();
  } catch (error) {
    await Promise.all([...packs.values()].map((p) => p.abort(error)));
    throw error;
  }

  const endTime = now().toISOString();
  const manifest = builder.finish({ endTime, ...(parent ? { previous: parent.objects } : {}) });
  await collection.commitManifest(dek, manifest);
  if (!incremental && options.latest !== false) await collection.pointLatestTo(full, start);
  progress.done();
  return {
    id,
    full,
    type: incremental ? 'incremental' : 'full',
    startTime: start.toISOString(),
    endTime,
    objects: manifest.objects.length,
    bytes: totalBytes,
    written: { objects: written, bytes: writtenBytes },
    deleted: manifest.deleted.length,
    keys: options.keys.map((k) => k.redactedUri),
  };
}

function unchanged(prev: ManifestObject, entry: BackupEntry, locality: string): boolean {
  return (
    prev.type === 'file' &&
    entry.size !== undefined &&
    prev.size === entry.size &&
    prev.mtime === (entry.mtime === undefined ? undefined : Math.trunc(entry.mtime)) &&
    prev.mode === entry.mode &&
    (prev.data === undefined ? prev.size === 0 : prev.data.locality === locality)
  );
}
