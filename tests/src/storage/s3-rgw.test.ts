import { readObject, writeObject } from '@sealstream/storage';
import {
  isStorageError,
  storageConformance,
  streamOf,
  testBytes,
} from '@sealstream/storage/testing';
import { s3Storage } from '@sealstream/storage-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CEPH_ACCESS_KEY, CEPH_SECRET_KEY, type Ceph, startCeph } from '../../services/ceph.ts';
import { importFromPackage } from '../../services/paths.ts';
import { serverOutageTests } from './serverOutage.ts';

type Sdk = typeof import('@aws-sdk/client-s3');
const MiB = 1024 * 1024;

let ceph: Ceph;
let sdk: Sdk;
let client: InstanceType<Sdk['S3Client']>;

beforeAll(async () => {
  ceph = await startCeph();
  sdk = await importFromPackage<Sdk>('storage-s3', '@aws-sdk/client-s3');
  client = new sdk.S3Client({
    region: 'us-east-1',
    endpoint: ceph.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: CEPH_ACCESS_KEY, secretAccessKey: CEPH_SECRET_KEY },
  });
  for (const Bucket of ['conformance', 'rootless', 'outage'])
    await client.send(new sdk.CreateBucketCommand({ Bucket }));
  // RGW creates its pools lazily: the first multipart upload takes seconds. Warm up once here.
  await writeObject(
    s3Storage(ceph.uri('rootless', 'warmup')),
    'first-multipart',
    testBytes(11 * MiB, 1),
  );
}, 600_000); // startCeph: up to 3 attempts of at most 180 s each
afterAll(async () => {
  client?.destroy();
  await ceph?.dispose();
});

storageConformance(
  's3 (Ceph RGW 16)',
  async () => ({ storage: s3Storage(ceph.uri('conformance', 'root/prefix')) }),
  {
    additionalTests() {
      it('streams big writes as multipart uploads (ETag "-N"), memory-bounded parts', async () => {
        const storage = s3Storage(ceph.uri('conformance', 'mp'), {
          partSize: 5 * MiB,
          queueSize: 2,
        });
        const data = testBytes(17 * MiB + 3, 9);
        await streamOf(data, { minChunk: 1000, maxChunk: 700_000, seed: 4 }).pipeTo(
          await storage.write('multi'),
        );
        const head = await client.send(
          new sdk.HeadObjectCommand({ Bucket: 'conformance', Key: 'mp/multi' }),
        );
        expect(head.ETag).toMatch(/-4"$/);
        expect(Buffer.compare(await readObject(storage, 'multi'), data)).toBe(0);
      });
      it('ifAbsent: streamed (multi-chunk) racing writers, exactly one wins (the driver buffers them into one PUT)', async () => {
        const storage = s3Storage(ceph.uri('conformance', 'race'));
        for (let round = 0; round < 3; round++) {
          const a = testBytes(MiB + 17, 10 + round);
          const b = testBytes(MiB + 17, 20 + round);
          const put = async (d: Uint8Array, seed: number) =>
            streamOf(d, { minChunk: 50_000, maxChunk: 300_000, seed }).pipeTo(
              await storage.write(`k${round}`, { ifAbsent: true }),
            );
          const results = await Promise.allSettled([put(a, 1), put(b, 2)]);
          expect(results.filter((r) => r.status === 'fulfilled').length).toBe(1);
          const lost = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
          expect(isStorageError('ERR_STORAGE_EXISTS')(lost?.reason), String(lost?.reason)).toBe(
            true,
          );
          const winner = results[0]?.status === 'fulfilled' ? a : b;
          expect(Buffer.compare(await readObject(storage, `k${round}`), winner)).toBe(0);
        }
      });
      it('refuses an ifAbsent write above maxIfAbsentBytes clearly, writing nothing', async () => {
        const storage = s3Storage(ceph.uri('conformance', 'limit'), { maxIfAbsentBytes: MiB });
        const attempt = (async () =>
          streamOf(testBytes(2 * MiB, 1), { minChunk: 100_000, maxChunk: 200_000, seed: 1 }).pipeTo(
            await storage.write('big', { ifAbsent: true }),
          ))();
        await expect(attempt).rejects.toSatisfy(isStorageError('ERR_STORAGE_IO'));
        await expect(attempt).rejects.toThrow(/ifAbsent write is limited to 1048576 bytes/);
        await expect(storage.write('big', { ifAbsent: true, size: 2 * MiB })).rejects.toThrow(
          /limited to/,
        );
        expect(await storage.stat('big')).toBeUndefined();
      });
      it('an aborted multipart upload is aborted on the server (no pending upload left)', async () => {
        const storage = s3Storage(ceph.uri('conformance', 'mpabort'), { partSize: 5 * MiB });
        const w = (await storage.write('obj')).getWriter();
        for (let i = 0; i < 12; i++) await w.write(testBytes(MiB, i));
        await w.abort(new Error('stop'));
        expect(await storage.stat('obj')).toBeUndefined();
        let pending: unknown[] = [];
        for (let i = 0; i < 50; i++) {
          const res = await client.send(
            new sdk.ListMultipartUploadsCommand({ Bucket: 'conformance', Prefix: 'mpabort/' }),
          );
          pending = res.Uploads ?? [];
          if (pending.length === 0) break;
          await new Promise((r) => setTimeout(r, 200));
        }
        expect(pending).toEqual([]);
      });
      it('round-trips at the bucket root (no prefix)', async () => {
        const storage = s3Storage(ceph.uri('rootless'));
        await writeObject(storage, 'at-root', new Uint8Array([1, 2, 3]));
        const keys: string[] = [];
        for await (const info of storage.list('at-')) keys.push(info.key);
        expect(keys).toEqual(['at-root']);
      });
      it('a missing bucket → ERR_STORAGE_NOT_FOUND naming it', async () => {
        const storage = s3Storage(ceph.uri('no-such-bucket'), { maxAttempts: 1 });
        const attempt = writeObject(storage, 'x', new Uint8Array(1));
        await expect(attempt).rejects.toSatisfy(isStorageError('ERR_STORAGE_NOT_FOUND'));
        await expect(attempt).rejects.toThrow(/bucket does not exist/);
      });
      it('a wrong secret → ERR_STORAGE_ACCESS_DENIED, secret redacted', async () => {
        const storage = s3Storage(
          ceph.uri('conformance').replace(CEPH_SECRET_KEY, 'wrong-secret-value'),
          { maxAttempts: 1 },
        );
        const error = await storage.stat('x').catch((e: unknown) => e);
        expect(isStorageError('ERR_STORAGE_ACCESS_DENIED')(error), String(error)).toBe(true);
        expect((error as Error).message).not.toContain('wrong-secret-value');
        expect((error as Error).message).toContain('AWS_SECRET_ACCESS_KEY=redacted');
      });
    },
  },
);

describe('s3 outage (Ceph RGW)', () => {
  serverOutageTests('s3', () => ({
    storage: () => s3Storage(ceph.uri('outage', 'p'), { maxAttempts: 2, partSize: 5 * MiB }),
    stop: () => ceph.stopGateway(),
    start: () => ceph.startGateway(),
    before: 11 * MiB,
  }));
});
