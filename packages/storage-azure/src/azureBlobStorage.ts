import { Readable } from 'node:stream';
import type { ReadableStream as NodeWebReadableStream } from 'node:stream/web';
import type { ContainerClient, StoragePipelineOptions } from '@azure/storage-blob';
import type { Storage } from '@sealstream/storage';
import {
  DriverStorage,
  positiveInt,
  type StorageDriver,
  uploadSink,
} from '@sealstream/storage/driver';
import { nodeSource } from '@sealstream/storage/node';
import { describeAzureError } from './describeAzureError.ts';
import {
  AZURE_BLOB_DRIVER,
  type AzureBlobLocation,
  parseAzureBlobUri,
} from './parseAzureBlobUri.ts';

/** Tuning for {@link azureBlobStorage}; the defaults suit backups. */
export interface AzureBlobStorageOptions {
  /** Attempts per request, the first included; transient failures (5xx, 429, resets) are retried with exponential backoff. Default 4. */
  maxAttempts?: number;
  /** First retry delay in ms (doubles per retry, capped at 30 s). Default 500. */
  retryDelayMs?: number;
  /** Block size in bytes for streaming uploads. Default 8 MiB. */
  blockSize?: number;
  /** Blocks staged in parallel; upload memory is about `blockSize × concurrency`. Default 4. */
  concurrency?: number;
}

/**
 * Azure Blob Storage driver for `azure-blob://{container}/{prefix}?…` (the parameters are in
 * docs/STORAGE.md). Writes stream into staged blocks (memory ≈ `blockSize × concurrency`)
 * committed by one `Put Block List` when the stream closes, so an aborted or failed upload leaves
 * nothing visible (uncommitted blocks expire). `ifAbsent` sends `If-None-Match: *` on the commit:
 * atomic for every size. Reads are ranged downloads that resume after a broken connection. The
 * SDK is loaded on first use.
 *
 * @throws {StorageError} `ERR_STORAGE_BAD_URI` for a URI it cannot use; `RangeError` for a bad option
 *
 * @example
 * ```ts
 * import { azureBlobStorage } from '@sealstream/storage-azure';
 * const storage = azureBlobStorage(
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
export function azureBlobStorage(
  uri: string | URL,
  options: AzureBlobStorageOptions = {},
): Storage {
  return new DriverStorage(azureBlobDriver(typeof uri === 'string' ? new URL(uri) : uri, options));
}

/** The Azure Blob SDK calls behind {@link azureBlobStorage}. */
function azureBlobDriver(url: URL, options: AzureBlobStorageOptions): StorageDriver {
  const loc = parseAzureBlobUri(url);
  const option = (name: keyof AzureBlobStorageOptions, value: number) =>
    positiveInt('azureBlobStorage', name, value);
  const maxAttempts = option('maxAttempts', options.maxAttempts ?? 4);
  const retryDelayMs = option('retryDelayMs', options.retryDelayMs ?? 500);
  const blockSize = option('blockSize', options.blockSize ?? 8 * 1024 * 1024);
  const concurrency = option('concurrency', options.concurrency ?? 4);

  let client: Promise<ContainerClient> | undefined;
  const container = () => (client ??= connect(loc, maxAttempts, retryDelayMs));

  return {
    name: AZURE_BLOB_DRIVER,
    uri: url.href,
    prefix: loc.prefix,
    capabilities: { atomicCreate: true },
    describeError: describeAzureError,

    async write(name, { ifAbsent, signal }, { fail }) {
      const blob = (await container()).getBlockBlobClient(name);
      return uploadSink(
        (body, abortSignal) =>
          blob.uploadStream(
            Readable.fromWeb(body as NodeWebReadableStream<Uint8Array>),
            blockSize,
            concurrency,
            { abortSignal, ...(ifAbsent ? { conditions: { ifNoneMatch: '*' } } : {}) },
          ),
        fail,
        signal,
      );
    },

    async read(name, start, end, { fail }) {
      const blob = (await container()).getBlobClient(name);
      const count = end === undefined ? undefined : end - start;
      const res = await blob.download(start, count, { maxRetryRequests: maxAttempts });
      const body = res.readableStreamBody as Readable | undefined;
      if (!body) return new ReadableStream({ start: (c) => c.close() });
      return nodeSource(body, fail);
    },

    async stat(name) {
      const p = await (await container()).getBlobClient(name).getProperties();
      return {
        size: p.contentLength ?? 0,
        ...(p.lastModified ? { mtime: p.lastModified.getTime() } : {}),
      };
    },

    async *list(prefix) {
      const pages = (await container()).listBlobsFlat({ prefix }).byPage({ maxPageSize: 1000 });
      for await (const page of pages) {
        for (const item of page.segment.blobItems) {
          const mtime = item.properties.lastModified?.getTime();
          yield {
            key: item.name,
            size: item.properties.contentLength ?? 0,
            ...(mtime === undefined ? {} : { mtime }),
          };
        }
      }
    },

    async delete(name) {
      await (await container()).getBlobClient(name).deleteIfExists();
    },

    async close() {
      client = undefined;
    },
  };
}

/** The container client, with the URI's credential and the retry policy. */
async function connect(
  loc: AzureBlobLocation,
  maxTries: number,
  retryDelayInMs: number,
): Promise<ContainerClient> {
  const sdk = await import('@azure/storage-blob');
  const { endpoint, auth } = loc;
  const pipeline: StoragePipelineOptions = {
    retryOptions: { maxTries, retryDelayInMs, maxRetryDelayInMs: 30_000 },
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
  return service.getContainerClient(loc.container);
}
