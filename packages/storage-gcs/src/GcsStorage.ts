import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeWebReadableStream } from 'node:stream/web';
import type { Bucket } from '@google-cloud/storage';
import {
  type ByteRange,
  type ObjectInfo,
  redactStorageUri,
  type Storage,
  type StorageCapabilities,
  StorageError,
  type WriteOptions,
} from '@sealstream/storage';
import {
  assertKey,
  assertListPrefix,
  assertRange,
  emptyRead,
  joinKey,
  uploadSink,
} from '@sealstream/storage/driver';
import { openNodeSource } from '@sealstream/storage/node';
import { gcsStatus, mapGcsError } from './mapGcsError.ts';
import { GCS_DRIVER, type GcsLocation, parseGcsUri } from './parseGcsUri.ts';

/** Tuning for {@link GcsStorage}; the defaults suit backups. */
export interface GcsStorageOptions {
  /** Attempts per request, the first included; 408, 429, 5xx and resets are retried with exponential backoff. Default 4. */
  maxAttempts?: number;
  /** Writes of at most this many bytes (by `WriteOptions.size`) use one simple upload; others a resumable upload. Default 8 MiB. */
  simpleUploadMax?: number;
  /**
   * Declare the server's capabilities instead of Cloud Storage's (`atomicCreate: true`). For
   * emulators: the firebase-tools emulator ignores `ifGenerationMatch`.
   */
  capabilities?: StorageCapabilities;
}

/**
 * Google Cloud Storage driver for `gs://{bucket}/{prefix}?…` (see {@link parseGcsUri} for the
 * parameters). Writes stream through one upload request (a resumable session for large or unknown
 * sizes, a simple upload for small ones, never `chunkSize` buffering), so memory stays bounded
 * and the object appears only when the upload finalizes; an aborted or failed upload leaves nothing
 * visible. `ifAbsent` sends `ifGenerationMatch: 0`, atomic on Cloud Storage; the driver also checks
 * for the key first, so a backend that ignores the precondition (emulators) still refuses to
 * overwrite in the sequential case. Reads are ranged. The SDK is loaded on first use.
 *
 * @example
 * ```ts
 * import { GcsStorage } from '@sealstream/storage-gcs';
 * const storage = new GcsStorage(`gs://backups/prod?AUTH=none&GCS_ENDPOINT=${encodeURIComponent('http://127.0.0.1:9199')}`);
 * const w = (await storage.write('hello.txt', { ifAbsent: true })).getWriter();
 * await w.write(new TextEncoder().encode('hello'));
 * await w.close();
 * console.log(await storage.stat('hello.txt')); // { key: 'hello.txt', size: 5, mtime: … }
 * ```
 */
export class GcsStorage implements Storage {
  readonly driver = GCS_DRIVER;
  readonly redactedUri: string;
  readonly capabilities: StorageCapabilities;
  readonly #uri: string;
  readonly #loc: GcsLocation;
  readonly #maxAttempts: number;
  readonly #simpleMax: number;
  #bucket: Promise<Bucket> | undefined;

  constructor(uri: string | URL, options: GcsStorageOptions = {}) {
    const url = typeof uri === 'string' ? new URL(uri) : uri;
    this.#uri = url.href;
    this.redactedUri = redactStorageUri(url.href);
    this.#loc = parseGcsUri(url);
    this.#maxAttempts = positiveInt(options.maxAttempts ?? 4, 'maxAttempts');
    this.#simpleMax = positiveInt(options.simpleUploadMax ?? 8 * 1024 * 1024, 'simpleUploadMax');
    this.capabilities = options.capabilities ?? { atomicCreate: true };
  }

  async write(key: string, options: WriteOptions = {}): Promise<WritableStream<Uint8Array>> {
    assertKey(key);
    const file = (await this.#connect()).file(joinKey(this.#loc.prefix, key));
    if (options.ifAbsent && (await this.stat(key))) {
      throw new StorageError('ERR_STORAGE_EXISTS', 'write failed: the object already exists', {
        driver: this.driver,
        uri: this.#uri,
        key,
      });
    }
    const resumable = options.size === undefined || options.size > this.#simpleMax;
    return uploadSink(
      async (body, signal) => {
        const sink = file.createWriteStream({
          resumable,
          contentType: 'application/octet-stream',
          ...(options.ifAbsent ? { preconditionOpts: { ifGenerationMatch: 0 } } : {}),
        });
        await pipeline(Readable.fromWeb(body as NodeWebReadableStream<Uint8Array>), sink, {
          signal,
        });
      },
      (e) => mapGcsError(e, this.#uri, key, 'write'),
      options.signal,
    );
  }

  async read(key: string, range?: ByteRange): Promise<ReadableStream<Uint8Array>> {
    assertKey(key);
    assertRange(range);
    const file = (await this.#connect()).file(joinKey(this.#loc.prefix, key));
    const start = range?.start ?? 0;
    const end = range?.end;
    if (end !== undefined && end === start) return emptyRead(this, key, this.#uri);
    const stream = file.createReadStream({
      validation: false,
      decompress: false,
      ...(start > 0 ? { start } : {}),
      ...(end !== undefined ? { start, end: end - 1 } : {}),
    });
    let status: number | undefined;
    stream.on('response', (res: { statusCode?: number; status?: number }) => {
      status = res.statusCode ?? res.status;
    });
    try {
      const body = await openNodeSource(stream, (e) => mapGcsError(e, this.#uri, key, 'read'));
      // A server that ignores the Range header (the emulator does for unsatisfiable ranges)
      // answers 200 with the whole object: cut the range out here.
      const ranged = start > 0 || end !== undefined;
      return ranged && status === 200 ? body.pipeThrough(sliceStream(start, end)) : body;
    } catch (error) {
      // 416: the range starts at or past the end; the contract clamps it to an empty read.
      if (gcsStatus(error) === 416) return emptyRead(this, key, this.#uri);
      throw mapGcsError(error, this.#uri, key, 'read');
    }
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    assertKey(key);
    const file = (await this.#connect()).file(joinKey(this.#loc.prefix, key));
    try {
      const [m] = await file.getMetadata();
      const mtime = m.updated ? Date.parse(String(m.updated)) : Number.NaN;
      return { key, size: Number(m.size ?? 0), ...(Number.isFinite(mtime) ? { mtime } : {}) };
    } catch (error) {
      if (gcsStatus(error) === 404) return undefined;
      throw mapGcsError(error, this.#uri, key, 'stat');
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    assertListPrefix(prefix);
    const bucket = await this.#connect();
    const root = this.#loc.prefix === '' ? 0 : this.#loc.prefix.length + 1;
    let pageToken: string | undefined;
    do {
      let files: import('@google-cloud/storage').File[];
      let next: { pageToken?: string } | null | undefined;
      try {
        [files, next] = (await bucket.getFiles({
          prefix: joinKey(this.#loc.prefix, prefix),
          autoPaginate: false,
          maxResults: 1000,
          ...(pageToken ? { pageToken } : {}),
        })) as unknown as [typeof files, { pageToken?: string } | null];
      } catch (error) {
        throw mapGcsError(error, this.#uri, undefined, `list "${prefix}"`);
      }
      for (const f of files) {
        const mtime = f.metadata.updated ? Date.parse(String(f.metadata.updated)) : Number.NaN;
        yield {
          key: f.name.slice(root),
          size: Number(f.metadata.size ?? 0),
          ...(Number.isFinite(mtime) ? { mtime } : {}),
        };
      }
      pageToken = next?.pageToken;
    } while (pageToken);
  }

  async delete(key: string): Promise<void> {
    assertKey(key);
    const file = (await this.#connect()).file(joinKey(this.#loc.prefix, key));
    try {
      await file.delete({ ignoreNotFound: true });
    } catch (error) {
      throw mapGcsError(error, this.#uri, key, 'delete');
    }
  }

  async close(): Promise<void> {
    this.#bucket = undefined;
  }

  #connect(): Promise<Bucket> {
    this.#bucket ??= (async () => {
      const sdk = await import('@google-cloud/storage');
      const { endpoint, auth, projectId } = this.#loc;
      const keyProject = auth.kind === 'specified' ? auth.credentials.project_id : undefined;
      const project = projectId ?? (typeof keyProject === 'string' ? keyProject : undefined);
      const storage = new sdk.Storage({
        ...(endpoint
          ? { apiEndpoint: endpoint, useAuthWithCustomEndpoint: auth.kind !== 'none' }
          : {}),
        ...(project ? { projectId: project } : {}),
        ...(auth.kind === 'specified' ? { credentials: auth.credentials as never } : {}),
        retryOptions: {
          autoRetry: true,
          maxRetries: this.#maxAttempts - 1,
          retryDelayMultiplier: 2,
          maxRetryDelay: 30,
          totalTimeout: 600,
          // Every operation the driver sends is idempotent for its callers (delete ignores a missing
          // object; a write sends the same bytes again), so retry them all.
          idempotencyStrategy: sdk.IdempotencyStrategy.RetryAlways,
        },
      });
      return storage.bucket(this.#loc.bucket);
    })();
    return this.#bucket;
  }
}

/** Keeps bytes `[start, end)` of a stream. */
function sliceStream(
  start: number,
  end: number | undefined,
): TransformStream<Uint8Array, Uint8Array> {
  let at = 0;
  return new TransformStream({
    transform(chunk, c) {
      const from = Math.max(start - at, 0);
      const to = end === undefined ? chunk.byteLength : Math.min(end - at, chunk.byteLength);
      at += chunk.byteLength;
      if (to > from) c.enqueue(chunk.subarray(from, to));
    },
  });
}

function positiveInt(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(
      `Invalid GcsStorage option: ${name} must be a positive integer, received ${value}`,
    );
  }
  return value;
}
