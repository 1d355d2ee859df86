import { Readable } from 'node:stream';
import type { ReadableStream as NodeWebReadableStream } from 'node:stream/web';
import type { ContainerClient, StoragePipelineOptions } from '@azure/storage-blob';
import {
  type ByteRange,
  type ObjectInfo,
  redactStorageUri,
  type Storage,
  type StorageCapabilities,
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
import { mapAzureError } from './mapAzureError.ts';
import {
  AZURE_BLOB_DRIVER,
  type AzureBlobLocation,
  parseAzureBlobUri,
} from './parseAzureBlobUri.ts';

/** Tuning for {@link AzureBlobStorage}; the defaults suit backups. */
export interface AzureBlobStorageOptions {
  /** Tries per request, the first included; transient failures (5xx, 429, resets) are retried with exponential backoff. Default 4. */
  maxTries?: number;
  /** First retry delay in ms (doubles per retry, capped at 30 s). Default 500. */
  retryDelayMs?: number;
  /** Block size in bytes for streaming uploads. Default 8 MiB. */
  blockSize?: number;
  /** Blocks staged in parallel; upload memory is about `blockSize × concurrency`. Default 4. */
  concurrency?: number;
}

/**
 * Azure Blob Storage driver for `azure-blob://{container}/{prefix}?…` (see
 * {@link parseAzureBlobUri} for the parameters). Writes stream into staged blocks (memory ≈
 * `blockSize × concurrency`) committed by one `Put Block List` when the stream closes, so an
 * aborted or failed upload leaves nothing visible (uncommitted blocks expire). `ifAbsent` sends
 * `If-None-Match: *` on the commit: atomic for every size. Reads are ranged downloads that resume
 * after a broken connection. The SDK is loaded on first use.
 *
 * @example
 * ```ts
 * import { AzureBlobStorage } from '@sealstream/storage-azure';
 * const storage = new AzureBlobStorage(
 *   'azure-blob://backups/prod?AZURE_ACCOUNT_NAME=devstoreaccount1&AZURE_ACCOUNT_KEY=' +
 *     encodeURIComponent('Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==') +
 *     '&AZURE_BLOB_ENDPOINT=' + encodeURIComponent('http://127.0.0.1:10000/devstoreaccount1'),
 * );
 * const w = (await storage.write('hello.txt', { ifAbsent: true })).getWriter();
 * await w.write(new TextEncoder().encode('hello'));
 * await w.close();
 * console.log(await storage.stat('hello.txt')); // { key: 'hello.txt', size: 5, mtime: … }
 * ```
 */
export class AzureBlobStorage implements Storage {
  readonly driver = AZURE_BLOB_DRIVER;
  readonly redactedUri: string;
  readonly capabilities: StorageCapabilities = { atomicCreate: true };
  readonly #uri: string;
  readonly #loc: AzureBlobLocation;
  readonly #maxTries: number;
  readonly #retryDelayMs: number;
  readonly #blockSize: number;
  readonly #concurrency: number;
  #client: Promise<ContainerClient> | undefined;

  constructor(uri: string | URL, options: AzureBlobStorageOptions = {}) {
    const url = typeof uri === 'string' ? new URL(uri) : uri;
    this.#uri = url.href;
    this.redactedUri = redactStorageUri(url.href);
    this.#loc = parseAzureBlobUri(url);
    this.#maxTries = positiveInt(options.maxTries ?? 4, 'maxTries');
    this.#retryDelayMs = positiveInt(options.retryDelayMs ?? 500, 'retryDelayMs');
    this.#blockSize = positiveInt(options.blockSize ?? 8 * 1024 * 1024, 'blockSize');
    this.#concurrency = positiveInt(options.concurrency ?? 4, 'concurrency');
  }

  async write(key: string, options: WriteOptions = {}): Promise<WritableStream<Uint8Array>> {
    assertKey(key);
    const blob = (await this.#container()).getBlockBlobClient(joinKey(this.#loc.prefix, key));
    const conditions = options.ifAbsent ? { ifNoneMatch: '*' } : undefined;
    return uploadSink(
      (body, abortSignal) =>
        blob.uploadStream(
          Readable.fromWeb(body as NodeWebReadableStream<Uint8Array>),
          this.#blockSize,
          this.#concurrency,
          {
            abortSignal,
            ...(conditions ? { conditions } : {}),
          },
        ),
      (e) => mapAzureError(e, this.#uri, key, 'write'),
      options.signal,
    );
  }

  async read(key: string, range?: ByteRange): Promise<ReadableStream<Uint8Array>> {
    assertKey(key);
    assertRange(range);
    const blob = (await this.#container()).getBlobClient(joinKey(this.#loc.prefix, key));
    const offset = range?.start ?? 0;
    const count = range?.end === undefined ? undefined : range.end - offset;
    if (count === 0) return emptyRead(this, key, this.#uri);
    try {
      const res = await blob.download(offset, count, { maxRetryRequests: this.#maxTries });
      const body = res.readableStreamBody as Readable | undefined;
      if (!body) return new ReadableStream({ start: (c) => c.close() });
      return nodeSource(body, (e) => mapAzureError(e, this.#uri, key, 'read'));
    } catch (error) {
      // 416: the range starts at or past the end; the contract clamps it to an empty read.
      if ((error as { statusCode?: number }).statusCode === 416)
        return emptyRead(this, key, this.#uri);
      throw mapAzureError(error, this.#uri, key, 'read');
    }
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    assertKey(key);
    const blob = (await this.#container()).getBlobClient(joinKey(this.#loc.prefix, key));
    try {
      const p = await blob.getProperties();
      return {
        key,
        size: p.contentLength ?? 0,
        ...(p.lastModified ? { mtime: p.lastModified.getTime() } : {}),
      };
    } catch (error) {
      const e = error as { statusCode?: number; details?: { errorCode?: string } };
      if (e.statusCode === 404 && e.details?.errorCode !== 'ContainerNotFound') return undefined;
      throw mapAzureError(error, this.#uri, key, 'stat');
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    assertListPrefix(prefix);
    const container = await this.#container();
    const root = this.#loc.prefix === '' ? 0 : this.#loc.prefix.length + 1;
    const pages = container
      .listBlobsFlat({ prefix: joinKey(this.#loc.prefix, prefix) })
      .byPage({ maxPageSize: 1000 });
    while (true) {
      let page: IteratorResult<Awaited<ReturnType<typeof pages.next>>['value']>;
      try {
        page = await pages.next();
      } catch (error) {
        throw mapAzureError(error, this.#uri, undefined, `list "${prefix}"`);
      }
      if (page.done) return;
      for (const item of page.value.segment.blobItems) {
        const mtime = item.properties.lastModified?.getTime();
        yield {
          key: item.name.slice(root),
          size: item.properties.contentLength ?? 0,
          ...(mtime === undefined ? {} : { mtime }),
        };
      }
    }
  }

  async delete(key: string): Promise<void> {
    assertKey(key);
    const blob = (await this.#container()).getBlobClient(joinKey(this.#loc.prefix, key));
    try {
      await blob.deleteIfExists();
    } catch (error) {
      throw mapAzureError(error, this.#uri, key, 'delete');
    }
  }

  async close(): Promise<void> {
    this.#client = undefined;
  }

  #container(): Promise<ContainerClient> {
    this.#client ??= this.#connect();
    return this.#client;
  }

  async #connect(): Promise<ContainerClient> {
    const sdk = await import('@azure/storage-blob');
    const { endpoint, auth } = this.#loc;
    const pipeline: StoragePipelineOptions = {
      retryOptions: {
        maxTries: this.#maxTries,
        retryDelayInMs: this.#retryDelayMs,
        maxRetryDelayInMs: 30_000,
      },
    };
    let service: InstanceType<typeof sdk.BlobServiceClient>;
    if (auth.kind === 'shared-key') {
      service = new sdk.BlobServiceClient(
        endpoint,
        new sdk.StorageSharedKeyCredential(auth.accountName, auth.accountKey),
        pipeline,
      );
    } else if (auth.kind === 'sas') {
      service = new sdk.BlobServiceClient(
        `${endpoint}?${auth.sasToken}`,
        new sdk.AnonymousCredential(),
        pipeline,
      );
    } else {
      const identity = await import('@azure/identity');
      const credential =
        auth.kind === 'client-secret'
          ? new identity.ClientSecretCredential(auth.tenantId, auth.clientId, auth.clientSecret)
          : new identity.DefaultAzureCredential();
      service = new sdk.BlobServiceClient(endpoint, credential, pipeline);
    }
    return service.getContainerClient(this.#loc.container);
  }
}

function positiveInt(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(
      `Invalid AzureBlobStorage option: ${name} must be a positive integer, received ${value}`,
    );
  }
  return value;
}
