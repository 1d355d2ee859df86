import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Storage } from '@sealstream/storage';
import type { BenchSuite, ReportTable } from './BenchSuite.ts';
import { discardSink, nodeSource, webSource } from './byteStreams.ts';
import { formatBytes } from './formatNumbers.ts';
import { type Comparison, goalTable } from './goalTable.ts';
import { loadAverage1, processCpuMs } from './machineInfo.ts';
import { parseSize } from './parseSizes.ts';
import { runPairedRounds, type Variant } from './runPairedRounds.ts';
import { sharedInput } from './sharedInput.ts';
import { throughputTable } from './throughputTable.ts';

/** The goals: our drivers ≥ 0.9× the bare SDK; ≤ 128 MiB over baseline while streaming. */
export const STORAGE_RATIO_GOAL = 0.9;
export const STORAGE_RSS_GOAL = 128 * 2 ** 20;

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const MiB = 2 ** 20;

/** Loads a module of the repository by path at run time (test servers live in tests/services). */
async function load<T>(relative: string): Promise<T> {
  return (await import(pathToFileURL(join(repoRoot, relative)).href)) as T;
}

/** Imports an SDK from a driver package's own dependencies. */
async function sdkOf<T>(pkg: string, specifier: string): Promise<T> {
  const require = createRequire(join(repoRoot, 'packages', pkg, 'package.json'));
  return (await import(pathToFileURL(require.resolve(specifier)).href)) as T;
}

// Minimal shapes of the test servers (tests/services) and SDKs this file uses: both are loaded at
// run time from outside this package, so their own types are not visible here.
interface Server {
  readonly endpoint: string;
  uri(bucket: string, prefix?: string): string;
  dispose(): Promise<void>;
}
interface AzureContainer {
  createIfNotExists(): Promise<unknown>;
  getBlockBlobClient(key: string): {
    uploadStream(body: Readable, blockSize: number, concurrency: number): Promise<unknown>;
  };
  getBlobClient(key: string): { download(): Promise<{ readableStreamBody?: unknown }> };
}
interface AzureSdk {
  BlobServiceClient: new (
    url: string,
    credential: unknown,
  ) => { getContainerClient(name: string): AzureContainer };
  StorageSharedKeyCredential: new (account: string, key: string) => unknown;
}
interface S3ClientLike {
  send(command: unknown): Promise<{ Body?: unknown }>;
  destroy(): void;
}
interface S3Sdk {
  S3Client: new (config: Record<string, unknown>) => S3ClientLike;
  CreateBucketCommand: new (input: { Bucket: string }) => unknown;
  GetObjectCommand: new (input: { Bucket: string; Key: string }) => unknown;
}
interface LibStorage {
  Upload: new (options: {
    client: S3ClientLike;
    params: Record<string, unknown>;
    partSize: number;
    queueSize: number;
  }) => { done(): Promise<unknown> };
}
interface GcsSdk {
  Storage: new (options: {
    apiEndpoint: string;
  }) => {
    bucket(name: string): {
      file(key: string): {
        createWriteStream(options: Record<string, unknown>): NodeJS.WritableStream;
        createReadStream(options: Record<string, unknown>): Readable;
      };
    };
  };
}

/** One backend: a server, our driver on it, and the same SDK used bare with the same settings. */
interface Backend {
  readonly name: string;
  readonly storage: Storage;
  bareUpload(key: string, body: Readable): Promise<void>;
  bareDownload(key: string): Promise<Readable>;
  close(): Promise<void>;
}

async function azureBackend(): Promise<Backend> {
  const { startAzurite, AZURITE_ACCOUNT, AZURITE_KEY } = await load<{
    startAzurite(): Promise<Server>;
    AZURITE_ACCOUNT: string;
    AZURITE_KEY: string;
  }>('tests/services/azurite.ts');
  const { azureBlobStorage } = await import('@sealstream/storage-azure');
  const sdk = await sdkOf<AzureSdk>('storage-azure', '@azure/storage-blob');
  const server = await startAzurite();
  const service = new sdk.BlobServiceClient(
    server.endpoint,
    new sdk.StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY),
  );
  const container = service.getContainerClient('bench');
  await container.createIfNotExists();
  return {
    name: 'azure-blob (Azurite)',
    storage: azureBlobStorage(server.uri('bench')),
    // The driver's defaults: 8 MiB blocks, 4 in parallel.
    bareUpload: async (key, body) =>
      void (await container.getBlockBlobClient(key).uploadStream(body, 8 * MiB, 4)),
    bareDownload: async (key) =>
      (await container.getBlobClient(key).download()).readableStreamBody as Readable,
    close: () => server.dispose(),
  };
}

async function s3Backend(): Promise<Backend> {
  const { startCeph, CEPH_ACCESS_KEY, CEPH_SECRET_KEY } = await load<{
    startCeph(): Promise<Server>;
    CEPH_ACCESS_KEY: string;
    CEPH_SECRET_KEY: string;
  }>('tests/services/ceph.ts');
  const { s3Storage } = await import('@sealstream/storage-s3');
  const sdk = await sdkOf<S3Sdk>('storage-s3', '@aws-sdk/client-s3');
  const { Upload } = await sdkOf<LibStorage>('storage-s3', '@aws-sdk/lib-storage');
  const server = await startCeph();
  const client = new sdk.S3Client({
    region: 'us-east-1',
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: CEPH_ACCESS_KEY, secretAccessKey: CEPH_SECRET_KEY },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  await client.send(new sdk.CreateBucketCommand({ Bucket: 'bench' }));
  const storage = s3Storage(server.uri('bench'));
  // RGW creates its pools lazily: warm up with one multipart upload.
  await webSource(new Uint8Array(11 * MiB)).pipeTo(await storage.write('warmup'));
  return {
    name: 's3 (Ceph RGW)',
    storage,
    // The driver's defaults: 8 MiB parts, 4 in flight.
    bareUpload: async (Key, Body) =>
      void (await new Upload({
        client,
        params: { Bucket: 'bench', Key, Body },
        partSize: 8 * MiB,
        queueSize: 4,
      }).done()),
    bareDownload: async (Key) =>
      (await client.send(new sdk.GetObjectCommand({ Bucket: 'bench', Key }))).Body as Readable,
    close: async () => {
      client.destroy();
      await server.dispose();
    },
  };
}

async function gcsBackend(): Promise<Backend> {
  const { startGcsEmulator } = await load<{ startGcsEmulator(): Promise<Server> }>(
    'tests/services/gcsEmulator.ts',
  );
  const { gcsStorage } = await import('@sealstream/storage-gcs');
  const sdk = await sdkOf<GcsSdk>('storage-gcs', '@google-cloud/storage');
  const server = await startGcsEmulator();
  const bucket = new sdk.Storage({ apiEndpoint: server.endpoint }).bucket('bench');
  return {
    name: 'gs (emulator)',
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
}

const BACKENDS: Record<string, () => Promise<Backend>> = {
  azure: azureBackend,
  s3: s3Backend,
  gcs: gcsBackend,
};

async function drainNode(body: Readable): Promise<number> {
  let n = 0;
  for await (const chunk of body) n += (chunk as Uint8Array).byteLength;
  return n;
}

/** Peak RSS over the pre-run baseline while `job` runs, sampled every 5 ms in this process. */
async function peakRss(job: () => Promise<unknown>): Promise<number> {
  (globalThis as { gc?: () => void }).gc?.();
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  try {
    await job();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, process.memoryUsage.rss()) - baseline;
}

/**
 * Streams one object up to and down from each real server (Azurite, Ceph RGW, the Cloud Storage
 * emulator) through our drivers and through the same SDK used bare with the same part sizes, in
 * the same paired rounds; reports MB/s, the driver ÷ bare ratios beside the 0.9× goal, and the
 * peak RSS of each driver transfer. 256 MiB by default, 64 MiB in quick mode, 1 GiB with
 * `SEALSTREAM_BENCH_LARGE=1` or `--storage-input=1G`; `--backends=azure,s3,gcs` picks servers.
 */
const suite: BenchSuite = {
  name: 'storage',
  description: 'cloud storage drivers vs their bare SDKs, up and down, on real servers on loopback',
  async run(ctx) {
    const large = process.env.SEALSTREAM_BENCH_LARGE === '1';
    const bytes = parseSize(
      ctx.options['storage-input'] ?? (large ? '1G' : ctx.quick ? '64M' : '256M'),
    );
    const wanted = (ctx.options.backends ?? 'azure,s3,gcs').split(',').map((s) => s.trim());
    const content = sharedInput(bytes);
    const tables: ReportTable[] = [];
    const notes: string[] = [];
    const comparisons: Comparison[] = [];
    const data: Record<string, unknown> = { bytes };
    const rssRows: string[][] = [];
    for (const name of wanted) {
      const make = BACKENDS[name];
      if (!make) {
        notes.push(
          `NOT RUN: unknown backend "${name}" (known: ${Object.keys(BACKENDS).join(', ')})`,
        );
        continue;
      }
      let backend: Backend;
      try {
        backend = await make();
      } catch (e) {
        notes.push(
          `NOT RUN: ${name}: the server did not start: ${(e as Error).message.split('\n')[0]}`,
        );
        continue;
      }
      try {
        const { storage } = backend;
        const UP = `${name}: upload, driver`;
        const UP_BARE = `${name}: upload, bare SDK`;
        const DOWN = `${name}: download, driver`;
        const DOWN_BARE = `${name}: download, bare SDK`;
        let n = 0;
        const fresh = () => `up-${n++}`;
        const del = (key: string) => storage.delete(key);
        ctx.log(`${backend.name}: seeding ${formatBytes(bytes)} to download`);
        // Both downloads read the same object (uploaded by the bare SDK), so the server's layout
        // of it (parts, blocks) is the same for both and only the client side differs.
        await backend.bareUpload('down', nodeSource(content));
        let key = '';
        // Rounds rotate this order cyclically, so each variant always follows the same one. An
        // upload leaves the server busy (persisting, collecting) for a moment: make each
        // download follow an upload, and each upload a download, for driver and SDK alike.
        const variants: Variant[] = [
          {
            name: UP,
            bytes,
            before: () => {
              key = fresh();
            },
            run: async () => webSource(content).pipeTo(await storage.write(key)),
            after: () => del(key),
          },
          {
            name: DOWN,
            bytes,
            async run() {
              const sink = discardSink();
              await (await storage.read('down')).pipeTo(sink.writable);
              if (sink.bytes() !== bytes) throw new Error(`${DOWN}: read ${sink.bytes()} bytes`);
            },
          },
          {
            name: UP_BARE,
            bytes,
            before: () => {
              key = fresh();
            },
            run: () => backend.bareUpload(key, nodeSource(content)),
            after: () => del(key),
          },
          {
            name: DOWN_BARE,
            bytes,
            async run() {
              const got = await drainNode(await backend.bareDownload('down'));
              if (got !== bytes) throw new Error(`${DOWN_BARE}: read ${got} bytes`);
            },
          },
        ];
        const result = await runPairedRounds(variants, {
          rounds: ctx.rounds,
          warmup: ctx.warmup,
          log: ctx.log,
          loadAverage: loadAverage1,
          cpuClock: processCpuMs,
        });
        tables.push(throughputTable(`${backend.name}, ${formatBytes(bytes)}`, result));
        comparisons.push(
          {
            label: `${name} upload: driver ÷ bare SDK`,
            result,
            of: UP,
            to: UP_BARE,
            goal: STORAGE_RATIO_GOAL,
          },
          {
            label: `${name} download: driver ÷ bare SDK`,
            result,
            of: DOWN,
            to: DOWN_BARE,
            goal: STORAGE_RATIO_GOAL,
          },
        );
        ctx.log(`${backend.name}: peak memory of one driver upload and download`);
        const upRss = await peakRss(async () =>
          webSource(content).pipeTo(await storage.write('rss')),
        );
        const downRss = await peakRss(async () =>
          (await storage.read('rss')).pipeTo(discardSink().writable),
        );
        await del('rss');
        for (const [what, v] of [
          ['upload', upRss],
          ['download', downRss],
        ] as const) {
          rssRows.push([
            `${name} ${what}, driver`,
            formatBytes(bytes),
            `${(v / MiB).toFixed(1)} MiB`,
            v <= STORAGE_RSS_GOAL ? 'yes' : 'NO',
          ]);
        }
        data[name] = { result, upRss, downRss };
        await del('down');
      } catch (e) {
        notes.push(`FAILED: ${backend.name}: ${(e as Error).message.split('\n')[0]}`);
        data[name] = { error: String(e) };
      } finally {
        await backend.storage.close?.();
        await backend.close();
      }
    }
    if (comparisons.length) {
      const { table, outcomes } = goalTable(
        `Drivers vs bare SDKs (goal ≥ ${STORAGE_RATIO_GOAL}×)`,
        comparisons,
      );
      tables.push(table);
      data.outcomes = outcomes;
      for (const o of outcomes)
        if (o.met === false)
          notes.push(`goal missed: ${o.label} (median below ${STORAGE_RATIO_GOAL}×)`);
    }
    if (rssRows.length) {
      tables.push({
        title: `Peak RSS over the pre-run baseline, in this process (goal ≤ ${STORAGE_RSS_GOAL / MiB} MiB)`,
        columns: ['transfer', 'object', 'peak over baseline', 'within goal'],
        rows: rssRows,
      });
    }
    if (!large && ctx.options['storage-input'] === undefined) {
      notes.push(
        'object size below 1 GiB: SEALSTREAM_BENCH_LARGE=1 (or --storage-input=1G) streams 1 GiB',
      );
    }
    return { tables, notes, data };
  },
};
export default suite;
