import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeWebReadableStream } from 'node:stream/web';
import type { Bucket, File } from '@google-cloud/storage';
import { type Storage, type StorageCapabilities, StorageError } from '@sealstream/storage';
import {
  DriverStorage,
  positiveInt,
  type StorageDriver,
  uploadSink,
} from '@sealstream/storage/driver';
import { openNodeSource } from '@sealstream/storage/node';
import { describeGcsError } from './describeGcsError.ts';
import { GCS_DRIVER, parseGcsUri } from './parseGcsUri.ts';

/** Tuning for {@link gcsStorage}; the defaults suit backups. */
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
 * Google Cloud Storage driver for `gs://{bucket}/{prefix}?…` (the parameters are in
 * docs/STORAGE.md). Writes stream through one upload request (a resumable session for large or
 * unknown sizes, a simple upload for small ones, never `chunkSize` buffering), so memory stays
 * bounded and the object appears only when the upload finalizes; an aborted or failed upload
 * leaves nothing visible. `ifAbsent` sends `ifGenerationMatch: 0`, atomic on Cloud Storage; the
 * driver also checks for the key first, so a backend that ignores the precondition (emulators)
 * still refuses to overwrite in the sequential case. Reads are ranged. The SDK is loaded on first
 * use.
 *
 * @throws {StorageError} `ERR_STORAGE_BAD_URI` for a URI it cannot use; `RangeError` for a bad option
 *
 * @example
 * ```ts
 * import { gcsStorage } from '@sealstream/storage-gcs';
 * const storage = gcsStorage(`gs://backups/prod?AUTH=none&GCS_ENDPOINT=${encodeURIComponent('http://127.0.0.1:9199')}`);
 * const w = (await storage.write('hello.txt', { ifAbsent: true })).getWriter();
 * await w.write(new TextEncoder().encode('hello'));
 * await w.close();
 * console.log(await storage.stat('hello.txt')); // { key: 'hello.txt', size: 5, mtime: … }
 * ```
 */
export function gcsStorage(uri: string | URL, options: GcsStorageOptions = {}): Storage {
  return new DriverStorage(gcsDriver(typeof uri === 'string' ? new URL(uri) : uri, options));
}

/** The Cloud Storage SDK calls behind {@link gcsStorage}. */
function gcsDriver(url: URL, options: GcsStorageOptions): StorageDriver {
  const loc = parseGcsUri(url);
  const maxAttempts = positiveInt('gcsStorage', 'maxAttempts', options.maxAttempts ?? 4);
  const simpleMax = positiveInt(
    'gcsStorage',
    'simpleUploadMax',
    options.simpleUploadMax ?? 8 * 1024 * 1024,
  );

  let bucket: Promise<Bucket> | undefined;
  const connect = () =>
    (bucket ??= (async () => {
      const sdk = await import('@google-cloud/storage');
      const { endpoint, auth, projectId } = loc;
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
          maxRetries: maxAttempts - 1,
          retryDelayMultiplier: 2,
          maxRetryDelay: 30,
          totalTimeout: 600,
          // Every operation the driver sends is idempotent for its callers (delete ignores a missing
          // object; a write sends the same bytes again), so retry them all.
          idempotencyStrategy: sdk.IdempotencyStrategy.RetryAlways,
        },
      });
      return storage.bucket(loc.bucket);
    })());
  const file = async (name: string): Promise<File> => (await connect()).file(name);
  const mtimeOf = (updated: unknown) => {
    const mtime = updated ? Date.parse(String(updated)) : Number.NaN;
    return Number.isFinite(mtime) ? { mtime } : {};
  };

  return {
    name: GCS_DRIVER,
    uri: url.href,
    prefix: loc.prefix,
    capabilities: options.capabilities ?? { atomicCreate: true },
    describeError: describeGcsError,

    async write(name, { ifAbsent, size, signal }, { key, fail, storage }) {
      const object = await file(name);
      if (ifAbsent && (await storage.stat(key))) {
        throw new StorageError('ERR_STORAGE_EXISTS', 'write failed: the object already exists', {
          driver: GCS_DRIVER,
          uri: url.href,
          key,
        });
      }
      const resumable = size === undefined || size > simpleMax;
      return uploadSink(
        async (body, abort) => {
          const sink = object.createWriteStream({
            resumable,
            contentType: 'application/octet-stream',
            ...(ifAbsent ? { preconditionOpts: { ifGenerationMatch: 0 } } : {}),
          });
          await pipeline(Readable.fromWeb(body as NodeWebReadableStream<Uint8Array>), sink, {
            signal: abort,
          });
        },
        fail,
        signal,
      );
    },

    async read(name, start, end, { fail }) {
      const stream = (await file(name)).createReadStream({
        validation: false,
        decompress: false,
        ...(start > 0 ? { start } : {}),
        ...(end !== undefined ? { start, end: end - 1 } : {}),
      });
      let status: number | undefined;
      stream.on('response', (res: { statusCode?: number; status?: number }) => {
        status = res.statusCode ?? res.status;
      });
      const body = await openNodeSource(stream, fail);
      // A server that ignores the Range header (the emulator does for unsatisfiable ranges)
      // answers 200 with the whole object: cut the range out here.
      const ranged = start > 0 || end !== undefined;
      return ranged && status === 200 ? body.pipeThrough(sliceStream(start, end)) : body;
    },

    async stat(name) {
      const [m] = await (await file(name)).getMetadata();
      return { size: Number(m.size ?? 0), ...mtimeOf(m.updated) };
    },

    async *list(prefix) {
      const objects = await connect();
      let pageToken: string | undefined;
      do {
        const [files, next] = (await objects.getFiles({
          prefix,
          autoPaginate: false,
          maxResults: 1000,
          ...(pageToken ? { pageToken } : {}),
        })) as unknown as [File[], { pageToken?: string } | null];
        for (const f of files)
          yield { key: f.name, size: Number(f.metadata.size ?? 0), ...mtimeOf(f.metadata.updated) };
        pageToken = next?.pageToken;
      } while (pageToken);
    },

    async delete(name) {
      await (await file(name)).delete({ ignoreNotFound: true });
    },

    async close() {
      bucket = undefined;
    },
  };
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
