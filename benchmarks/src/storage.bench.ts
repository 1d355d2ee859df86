import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Storage } from '@sealstream/storage';
import type { BenchCase } from './BenchCase.ts';
import { discardSink, nodeSource, randomInput, webSource } from './byteStreams.ts';
import { pairedTable } from './markdownTable.ts';
import { type Contender, runPairedRounds } from './pairedRounds.ts';
import { formatBytes, MiB } from './sizes.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * A module of the repository outside this package (the test servers of tests/services), or an
 * SDK from a driver package's own dependencies; loaded at run time, so typed here by its use.
 */
// biome-ignore lint/suspicious/noExplicitAny: shapes of modules this package cannot see
type Loose = any;
const load = (path: string): Promise<Loose> => import(pathToFileURL(join(root, path)).href);
const sdk = (pkg: string, name: string): Promise<Loose> =>
  import(
    pathToFileURL(createRequire(join(root, 'packages', pkg, 'package.json')).resolve(name)).href
  );

/** A server on loopback, our driver on it, and the same SDK used bare with the driver's settings. */
interface Backend {
  readonly storage: Storage;
  bareUpload(key: string, body: Readable): Promise<unknown>;
  bareDownload(key: string): Promise<Readable>;
  close(): Promise<void>;
}

const BACKENDS: Record<string, () => Promise<Backend>> = {
  async azure() {
    const { startAzurite, AZURITE_ACCOUNT, AZURITE_KEY } = await load('tests/services/azurite.ts');
    const { azureBlobStorage } = await import('@sealstream/storage-azure');
    const { BlobServiceClient, StorageSharedKeyCredential } = await sdk(
      'storage-azure',
      '@azure/storage-blob',
    );
    const server = await startAzurite();
    const credential = new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY);
    const container = new BlobServiceClient(server.endpoint, credential).getContainerClient(
      'bench',
    );
    await container.createIfNotExists();
    return {
      storage: azureBlobStorage(server.uri('bench')),
      // The driver's defaults: 8 MiB blocks, 4 in parallel.
      bareUpload: (key, body) => container.getBlockBlobClient(key).uploadStream(body, 8 * MiB, 4),
      bareDownload: async (key) =>
        (await container.getBlobClient(key).download()).readableStreamBody,
      close: () => server.dispose(),
    };
  },
  async s3() {
    const { startCeph, CEPH_ACCESS_KEY, CEPH_SECRET_KEY } = await load('tests/services/ceph.ts');
    const { s3Storage } = await import('@sealstream/storage-s3');
    const { S3Client, CreateBucketCommand, GetObjectCommand } = await sdk(
      'storage-s3',
      '@aws-sdk/client-s3',
    );
    const { Upload } = await sdk('storage-s3', '@aws-sdk/lib-storage');
    const server = await startCeph();
    const client = new S3Client({
      region: 'us-east-1',
      endpoint: server.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: CEPH_ACCESS_KEY, secretAccessKey: CEPH_SECRET_KEY },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    await client.send(new CreateBucketCommand({ Bucket: 'bench' }));
    const storage = s3Storage(server.uri('bench'));
    // RGW creates its pools lazily: one multipart upload first.
    await webSource(new Uint8Array(11 * MiB)).pipeTo(await storage.write('warmup'));
    const params = (Key: string) => ({ Bucket: 'bench', Key });
    return {
      storage,
      // The driver's defaults: 8 MiB parts, 4 in flight.
      bareUpload: (Key, Body) =>
        new Upload({
          client,
          params: { ...params(Key), Body },
          partSize: 8 * MiB,
          queueSize: 4,
        }).done(),
      bareDownload: async (Key) => (await client.send(new GetObjectCommand(params(Key)))).Body,
      close: async () => {
        client.destroy();
        await server.dispose();
      },
    };
  },
  async gcs() {
    const { startGcsEmulator } = await load('tests/services/gcsEmulator.ts');
    const { gcsStorage } = await import('@sealstream/storage-gcs');
    const { Storage } = await sdk('storage-gcs', '@google-cloud/storage');
    const server = await startGcsEmulator();
    const bucket = new Storage({ apiEndpoint: server.endpoint }).bucket('bench');
    return {
      storage: gcsStorage(server.uri('bench')),
      // The driver's settings for an unknown size: one resumable upload, no chunkSize.
      bareUpload: (key, body) =>
        pipeline(
          body,
          bucket
            .file(key)
            .createWriteStream({ resumable: true, contentType: 'application/octet-stream' }),
        ),
      bareDownload: async (key) =>
        bucket.file(key).createReadStream({ validation: false, decompress: false }),
      close: () => server.dispose(),
    };
  },
};

/**
 * One object streamed up to and down from each test server (Azurite, Ceph RGW, the Cloud Storage
 * emulator) through our driver and through the same SDK used bare with the same part sizes, in
 * the same paired rounds. A server that does not start is skipped with the reason.
 */
export default {
  name: 'storage',
  summary:
    'storage drivers (S3, GCS, Azure) vs their bare SDKs, up and down, on local test servers',
  async run({ inputBytes, rounds, flags, log }) {
    const bytes = process.env.SEALSTREAM_BENCH_LARGE === '1' ? 1024 * MiB : inputBytes;
    const content = randomInput(bytes);
    const tables = [];
    const notes: string[] = [];
    const data: Record<string, unknown> = { bytes };
    for (const name of (flags.backends ?? 'azure,s3,gcs').split(',')) {
      const make = BACKENDS[name];
      if (!make)
        throw new RangeError(`Unknown backend "${name}" (known: ${Object.keys(BACKENDS)})`);
      let backend: Backend;
      try {
        backend = await make();
      } catch (e) {
        notes.push(
          `SKIPPED ${name}: its test server did not start: ${(e as Error).message.split('\n')[0]}`,
        );
        continue;
      }
      const { storage } = backend;
      try {
        log(`${name}: ${formatBytes(bytes)} to download, put there by the bare SDK`);
        await backend.bareUpload('down', nodeSource(content));
        let n = 0;
        let key = '';
        const upload = {
          bytes,
          before: () => {
            key = `up-${n++}`;
          },
          after: () => storage.delete(key),
        };
        const drained = (got: number) => {
          if (got !== bytes) throw new Error(`${name}: downloaded ${got} of ${bytes} bytes`);
        };
        // Rounds rotate this order, so every download follows an upload and every upload a
        // download: an upload leaves the server busy for a moment, for driver and SDK alike.
        const contenders: Contender[] = [
          {
            name: `${name} upload, driver`,
            ...upload,
            run: async () => webSource(content).pipeTo(await storage.write(key)),
          },
          {
            name: `${name} download, driver`,
            bytes,
            run: async () => {
              const sink = discardSink();
              await (await storage.read('down')).pipeTo(sink.writable);
              drained(sink.bytes());
            },
          },
          {
            name: `${name} upload, bare SDK`,
            ...upload,
            run: () => backend.bareUpload(key, nodeSource(content)),
          },
          {
            name: `${name} download, bare SDK`,
            bytes,
            run: async () => {
              const sink = discardSink();
              await pipeline(await backend.bareDownload('down'), sink.node());
              drained(sink.bytes());
            },
          },
        ];
        const result = await runPairedRounds(contenders, { rounds, log });
        const pair = (op: string) => [`${name} ${op}, driver`, `${name} ${op}, bare SDK`] as const;
        tables.push(
          pairedTable(`${name}, ${formatBytes(bytes)}: driver vs bare SDK`, result, [
            pair('upload'),
            pair('download'),
          ]),
        );
        data[name] = result;
        await storage.delete('down');
      } catch (e) {
        notes.push(`FAILED ${name}: ${(e as Error).message.split('\n')[0]}`);
      } finally {
        await storage.close?.();
        await backend.close();
      }
    }
    return { tables, notes, data };
  },
} satisfies BenchCase;
