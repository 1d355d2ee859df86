import type { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
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
import { nodeSource } from '@sealstream/storage/node';
import { bufferedPutSink } from './bufferedPutSink.ts';
import { mapS3Error } from './mapS3Error.ts';
import { parseS3Uri, S3_DRIVER, type S3Location } from './parseS3Uri.ts';

const MiB = 1024 * 1024;

/** Tuning for {@link S3Storage}; the defaults suit backups. */
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
export const S3_ATOMIC_CREATE_REASON =
  'S3 and Ceph RGW honour If-None-Match: * only on a single PutObject, not on multipart uploads; the driver buffers ifAbsent writes (up to maxIfAbsentBytes, 32 MiB by default) and sends them as one conditional PUT, and refuses larger ones';

/**
 * Amazon S3 (and S3-compatible: Ceph RGW, MinIO) driver for `s3://{bucket}/{prefix}?…` (see
 * {@link parseS3Uri} for the parameters). Writes stream through a lib-storage multipart upload
 * with bounded memory (`partSize × queueSize`); the object appears only on
 * `CompleteMultipartUpload`, and a failed or aborted upload is aborted server-side, leaving nothing
 * visible. `ifAbsent` writes are buffered (bounded by `maxIfAbsentBytes`) and sent as one
 * `PutObject` with `If-None-Match: *`, the only form S3 and RGW evaluate atomically. Reads are
 * ranged GETs. Checksums are computed only when the API requires them (`WHEN_REQUIRED`): RGW
 * rejects aws-chunked trailers, and sealstream data is authenticated by its AEAD anyway.
 *
 * @example
 * ```ts
 * import { S3Storage } from '@sealstream/storage-s3';
 * const storage = new S3Storage(
 *   's3://backups/prod?AWS_ACCESS_KEY_ID=test&AWS_SECRET_ACCESS_KEY=testtesttest&AWS_ENDPOINT=' +
 *     encodeURIComponent('http://127.0.0.1:7480'),
 * );
 * const w = (await storage.write('hello.txt', { ifAbsent: true })).getWriter();
 * await w.write(new TextEncoder().encode('hello'));
 * await w.close();
 * console.log(await storage.stat('hello.txt')); // { key: 'hello.txt', size: 5, mtime: … }
 * ```
 */
export class S3Storage implements Storage {
  readonly driver = S3_DRIVER;
  readonly redactedUri: string;
  readonly capabilities: StorageCapabilities = {
    atomicCreate: 'single-put',
    reasons: { atomicCreate: S3_ATOMIC_CREATE_REASON },
  };
  readonly #uri: string;
  readonly #loc: S3Location;
  readonly #maxAttempts: number;
  readonly #partSize: number;
  readonly #queueSize: number;
  readonly #maxIfAbsent: number;
  #client: Promise<{ client: S3Client; sdk: typeof import('@aws-sdk/client-s3') }> | undefined;

  constructor(uri: string | URL, options: S3StorageOptions = {}) {
    const url = typeof uri === 'string' ? new URL(uri) : uri;
    this.#uri = url.href;
    this.redactedUri = redactStorageUri(url.href);
    this.#loc = parseS3Uri(url);
    this.#maxAttempts = positiveInt(options.maxAttempts ?? 5, 'maxAttempts');
    this.#partSize = positiveInt(options.partSize ?? 8 * MiB, 'partSize');
    if (this.#partSize < 5 * MiB)
      throw new RangeError(
        `Invalid S3Storage option: partSize must be >= 5 MiB, received ${this.#partSize}`,
      );
    this.#queueSize = positiveInt(options.queueSize ?? 4, 'queueSize');
    this.#maxIfAbsent = positiveInt(options.maxIfAbsentBytes ?? 32 * MiB, 'maxIfAbsentBytes');
  }

  async write(key: string, options: WriteOptions = {}): Promise<WritableStream<Uint8Array>> {
    assertKey(key);
    const Key = joinKey(this.#loc.prefix, key);
    const Bucket = this.#loc.bucket;
    const map = (e: unknown) => mapS3Error(e, this.#uri, key, 'write');
    const tooLarge = () =>
      new StorageError(
        'ERR_STORAGE_IO',
        `write failed: an ifAbsent write is limited to ${this.#maxIfAbsent} bytes on S3 (sent as one conditional PUT; If-None-Match is not honoured on multipart uploads)`,
        { driver: this.driver, uri: this.#uri, key },
      );
    if (options.ifAbsent && options.size !== undefined && options.size > this.#maxIfAbsent)
      throw tooLarge();
    const { client, sdk } = await this.#connect();
    if (options.ifAbsent) {
      return bufferedPutSink(
        this.#maxIfAbsent,
        (Body, abortSignal) =>
          this.#conditionalPut(
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
        map,
        tooLarge,
        options.signal,
      );
    }
    const { Upload } = await import('@aws-sdk/lib-storage');
    const partSize =
      options.size === undefined
        ? this.#partSize
        : Math.max(this.#partSize, Math.ceil(options.size / 9_000));
    return uploadSink(
      async (Body, signal) => {
        const upload = new Upload({
          client,
          params: { Bucket, Key, Body },
          partSize,
          queueSize: this.#queueSize,
          leavePartsOnError: false,
        });
        if (signal.aborted) await upload.abort();
        else signal.addEventListener('abort', () => void upload.abort(), { once: true });
        await upload.done();
      },
      map,
      options.signal,
    );
  }

  async read(key: string, range?: ByteRange): Promise<ReadableStream<Uint8Array>> {
    assertKey(key);
    assertRange(range);
    const { client, sdk } = await this.#connect();
    const start = range?.start ?? 0;
    const end = range?.end;
    if (end !== undefined && end === start) return emptyRead(this, key, this.#uri);
    const Range =
      start === 0 && end === undefined
        ? undefined
        : `bytes=${start}-${end === undefined ? '' : end - 1}`;
    try {
      const res = await client.send(
        new sdk.GetObjectCommand({
          Bucket: this.#loc.bucket,
          Key: joinKey(this.#loc.prefix, key),
          ...(Range ? { Range } : {}),
        }),
      );
      return nodeSource(res.Body as Readable, (e) => mapS3Error(e, this.#uri, key, 'read'));
    } catch (error) {
      // 416: the range starts at or past the end; the contract clamps it to an empty read.
      if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 416)
        return emptyRead(this, key, this.#uri);
      throw mapS3Error(error, this.#uri, key, 'read');
    }
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    assertKey(key);
    const { client, sdk } = await this.#connect();
    try {
      const res = await client.send(
        new sdk.HeadObjectCommand({
          Bucket: this.#loc.bucket,
          Key: joinKey(this.#loc.prefix, key),
        }),
      );
      return {
        key,
        size: res.ContentLength ?? 0,
        ...(res.LastModified ? { mtime: res.LastModified.getTime() } : {}),
      };
    } catch (error) {
      const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (
        (e.$metadata?.httpStatusCode === 404 || e.name === 'NotFound') &&
        e.name !== 'NoSuchBucket'
      )
        return undefined;
      throw mapS3Error(error, this.#uri, key, 'stat');
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    assertListPrefix(prefix);
    const { client, sdk } = await this.#connect();
    const root = this.#loc.prefix === '' ? 0 : this.#loc.prefix.length + 1;
    let ContinuationToken: string | undefined;
    do {
      let page: import('@aws-sdk/client-s3').ListObjectsV2CommandOutput;
      try {
        page = await client.send(
          new sdk.ListObjectsV2Command({
            Bucket: this.#loc.bucket,
            Prefix: joinKey(this.#loc.prefix, prefix),
            MaxKeys: 1000,
            ...(ContinuationToken ? { ContinuationToken } : {}),
          }),
        );
      } catch (error) {
        throw mapS3Error(error, this.#uri, undefined, `list "${prefix}"`);
      }
      for (const item of page.Contents ?? []) {
        if (item.Key === undefined) continue;
        yield {
          key: item.Key.slice(root),
          size: item.Size ?? 0,
          ...(item.LastModified ? { mtime: item.LastModified.getTime() } : {}),
        };
      }
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }

  async delete(key: string): Promise<void> {
    assertKey(key);
    const { client, sdk } = await this.#connect();
    try {
      await client.send(
        new sdk.DeleteObjectCommand({
          Bucket: this.#loc.bucket,
          Key: joinKey(this.#loc.prefix, key),
        }),
      );
    } catch (error) {
      throw mapS3Error(error, this.#uri, key, 'delete');
    }
  }

  async close(): Promise<void> {
    const pending = this.#client;
    this.#client = undefined;
    if (pending) (await pending.catch(() => undefined))?.client.destroy();
  }

  /** Sends a conditional PUT; AWS answers 409 ConditionalRequestConflict while a racing conditional write is in flight: retry, then 412 tells. */
  async #conditionalPut(
    client: S3Client,
    command: import('@aws-sdk/client-s3').PutObjectCommand,
    abortSignal: AbortSignal,
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.send(command, { abortSignal });
        return;
      } catch (error) {
        const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
        const conflict =
          e.$metadata?.httpStatusCode === 409 && e.name === 'ConditionalRequestConflict';
        if (!conflict || attempt >= this.#maxAttempts || abortSignal.aborted) throw error;
        await new Promise((r) => setTimeout(r, 100 * 2 ** attempt * Math.random()));
      }
    }
  }

  #connect(): Promise<{ client: S3Client; sdk: typeof import('@aws-sdk/client-s3') }> {
    this.#client ??= (async () => {
      const sdk = await import('@aws-sdk/client-s3');
      const { region, endpoint, forcePathStyle, credentials } = this.#loc;
      const client = new sdk.S3Client({
        region,
        ...(endpoint ? { endpoint } : {}),
        forcePathStyle,
        ...(credentials ? { credentials } : {}),
        maxAttempts: this.#maxAttempts,
        retryMode: 'standard',
        followRegionRedirects: true,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      });
      return { client, sdk };
    })();
    return this.#client;
  }
}

function positiveInt(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(
      `Invalid S3Storage option: ${name} must be a positive integer, received ${value}`,
    );
  }
  return value;
}
