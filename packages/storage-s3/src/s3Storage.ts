import type { Readable } from 'node:stream';
import type { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { type Storage, StorageError } from '@sealstream/storage';
import {
  DriverStorage,
  positiveInt,
  type StorageDriver,
  uploadSink,
} from '@sealstream/storage/driver';
import { nodeSource } from '@sealstream/storage/node';
import { bufferedPutSink } from './bufferedPutSink.ts';
import { describeS3Error } from './describeS3Error.ts';
import { parseS3Uri, S3_DRIVER } from './parseS3Uri.ts';

const MiB = 1024 * 1024;

/** Tuning for {@link s3Storage}; the defaults suit backups. */
export interface S3StorageOptions {
  /** Attempts per request, the first included; throttling, 5xx, timeouts and resets are retried with exponential backoff and jitter. Default 5. */
  maxAttempts?: number;
  /** Multipart part size in bytes (≥ 5 MiB). Default 8 MiB; grows to stay within 10,000 parts when `WriteOptions.size` is known. */
  partSize?: number;
  /** Parts uploaded in parallel; upload memory is about `partSize × queueSize`. Default 4. */
  queueSize?: number;
  /** Largest `ifAbsent` write (buffered and sent as one conditional PUT). Default 32 MiB. */
  maxIfAbsentBytes?: number;
}

/** Why S3's create-if-absent is limited (printed by the conformance suite). */
const ATOMIC_CREATE_REASON =
  'S3 and Ceph RGW honour If-None-Match: * only on a single PutObject, not on multipart uploads; the driver buffers ifAbsent writes (up to maxIfAbsentBytes, 32 MiB by default) and sends them as one conditional PUT, and refuses larger ones';

/**
 * Amazon S3 (and S3-compatible: Ceph RGW, MinIO) driver for `s3://{bucket}/{prefix}?…` (the
 * parameters are in docs/STORAGE.md). Writes stream through a lib-storage multipart upload
 * with bounded memory (`partSize × queueSize`); the object appears only on
 * `CompleteMultipartUpload`, and a failed or aborted upload is aborted server-side, leaving nothing
 * visible. `ifAbsent` writes are buffered (bounded by `maxIfAbsentBytes`) and sent as one
 * `PutObject` with `If-None-Match: *`, the only form S3 and RGW evaluate atomically. Reads are
 * ranged GETs. Checksums are computed only when the API requires them (`WHEN_REQUIRED`): RGW
 * rejects aws-chunked trailers, and sealstream data is authenticated by its AEAD anyway.
 *
 * @throws {StorageError} `ERR_STORAGE_BAD_URI` for a URI it cannot use; `RangeError` for a bad option
 *
 * @example
 * ```ts
 * import { s3Storage } from '@sealstream/storage-s3';
 * const storage = s3Storage(
 *   's3://backups/prod?AWS_ACCESS_KEY_ID=test&AWS_SECRET_ACCESS_KEY=testtesttest&AWS_ENDPOINT=' +
 *     encodeURIComponent('http://127.0.0.1:7480'),
 * );
 * const w = (await storage.write('hello.txt', { ifAbsent: true })).getWriter();
 * await w.write(new TextEncoder().encode('hello'));
 * await w.close();
 * console.log(await storage.stat('hello.txt')); // { key: 'hello.txt', size: 5, mtime: … }
 * ```
 */
export function s3Storage(uri: string | URL, options: S3StorageOptions = {}): Storage {
  return new DriverStorage(s3Driver(typeof uri === 'string' ? new URL(uri) : uri, options));
}

type Sdk = typeof import('@aws-sdk/client-s3');

/** The S3 SDK calls behind {@link s3Storage}. */
function s3Driver(url: URL, options: S3StorageOptions): StorageDriver {
  const loc = parseS3Uri(url);
  const option = (name: keyof S3StorageOptions, fallback: number) =>
    positiveInt('s3Storage', name, options[name] ?? fallback);
  const maxAttempts = option('maxAttempts', 5);
  const partSize = option('partSize', 8 * MiB);
  if (partSize < 5 * MiB)
    throw new RangeError(
      `Invalid s3Storage option: partSize must be >= 5 MiB, received ${partSize}`,
    );
  const queueSize = option('queueSize', 4);
  const maxIfAbsent = option('maxIfAbsentBytes', 32 * MiB);
  const Bucket = loc.bucket;

  let connection: Promise<{ client: S3Client; sdk: Sdk }> | undefined;
  const connect = () =>
    (connection ??= (async () => {
      const sdk = await import('@aws-sdk/client-s3');
      const { region, endpoint, forcePathStyle, credentials } = loc;
      const client = new sdk.S3Client({
        region,
        ...(endpoint ? { endpoint } : {}),
        forcePathStyle,
        ...(credentials ? { credentials } : {}),
        maxAttempts,
        retryMode: 'standard',
        followRegionRedirects: true,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      });
      return { client, sdk };
    })());

  /** Sends a conditional PUT; AWS answers 409 ConditionalRequestConflict while a racing conditional write is in flight: retry, then 412 tells. */
  const conditionalPut = async (
    client: S3Client,
    command: PutObjectCommand,
    abortSignal: AbortSignal,
  ): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.send(command, { abortSignal });
        return;
      } catch (error) {
        const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
        const conflict =
          e.$metadata?.httpStatusCode === 409 && e.name === 'ConditionalRequestConflict';
        if (!conflict || attempt >= maxAttempts || abortSignal.aborted) throw error;
        await new Promise((r) => setTimeout(r, 100 * 2 ** attempt * Math.random()));
      }
    }
  };

  return {
    name: S3_DRIVER,
    uri: url.href,
    prefix: loc.prefix,
    capabilities: { atomicCreate: 'single-put', reasons: { atomicCreate: ATOMIC_CREATE_REASON } },
    describeError: describeS3Error,

    async write(Key, { ifAbsent, size, signal }, { key, fail }) {
      const tooLarge = () =>
        new StorageError(
          'ERR_STORAGE_IO',
          `write failed: an ifAbsent write is limited to ${maxIfAbsent} bytes on S3 (sent as one conditional PUT; If-None-Match is not honoured on multipart uploads)`,
          { driver: S3_DRIVER, uri: url.href, key },
        );
      if (ifAbsent && size !== undefined && size > maxIfAbsent) throw tooLarge();
      const { client, sdk } = await connect();
      if (ifAbsent) {
        return bufferedPutSink(
          maxIfAbsent,
          (Body, abortSignal) =>
            conditionalPut(
              client,
              new sdk.PutObjectCommand({
                Bucket,
                Key,
                Body,
                ContentLength: Body.byteLength,
                IfNoneMatch: '*',
              }),
              abortSignal,
            ),
          fail,
          tooLarge,
          signal,
        );
      }
      const { Upload } = await import('@aws-sdk/lib-storage');
      const parts = size === undefined ? partSize : Math.max(partSize, Math.ceil(size / 9_000));
      return uploadSink(
        async (Body, abort) => {
          const upload = new Upload({
            client,
            params: { Bucket, Key, Body },
            partSize: parts,
            queueSize,
            leavePartsOnError: false,
          });
          if (abort.aborted) await upload.abort();
          else abort.addEventListener('abort', () => void upload.abort(), { once: true });
          await upload.done();
        },
        fail,
        signal,
      );
    },

    async read(Key, start, end, { fail }) {
      const { client, sdk } = await connect();
      const Range =
        start === 0 && end === undefined
          ? undefined
          : `bytes=${start}-${end === undefined ? '' : end - 1}`;
      const res = await client.send(
        new sdk.GetObjectCommand({ Bucket, Key, ...(Range ? { Range } : {}) }),
      );
      return nodeSource(res.Body as Readable, fail);
    },

    async stat(Key) {
      const { client, sdk } = await connect();
      const res = await client.send(new sdk.HeadObjectCommand({ Bucket, Key }));
      return {
        size: res.ContentLength ?? 0,
        ...(res.LastModified ? { mtime: res.LastModified.getTime() } : {}),
      };
    },

    async *list(Prefix) {
      const { client, sdk } = await connect();
      let ContinuationToken: string | undefined;
      do {
        const page = await client.send(
          new sdk.ListObjectsV2Command({
            Bucket,
            Prefix,
            MaxKeys: 1000,
            ...(ContinuationToken ? { ContinuationToken } : {}),
          }),
        );
        for (const item of page.Contents ?? []) {
          if (item.Key === undefined) continue;
          yield {
            key: item.Key,
            size: item.Size ?? 0,
            ...(item.LastModified ? { mtime: item.LastModified.getTime() } : {}),
          };
        }
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
    },

    async delete(Key) {
      const { client, sdk } = await connect();
      await client.send(new sdk.DeleteObjectCommand({ Bucket, Key }));
    },

    async close() {
      const pending = connection;
      connection = undefined;
      if (pending) (await pending.catch(() => undefined))?.client.destroy();
    },
  };
}
