import { readObject, writeObject } from '@sealstream/storage';
import { isStorageError, storageConformance, testBytes } from '@sealstream/storage/testing';
import { gcsStorage } from '@sealstream/storage-gcs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GcsEmulator, startGcsEmulator } from '../../services/gcsEmulator.ts';
import { startTcpProxy, type TcpProxy } from '../../services/tcpProxy.ts';
import { serverOutageTests } from './serverOutage.ts';

/** The emulator's limitation, printed by the conformance suite where it changes what is checked. */
const EMULATOR_CAPABILITIES = {
  atomicCreate: false,
  reasons: {
    atomicCreate:
      'the firebase-tools Cloud Storage emulator ignores ifGenerationMatch, so concurrent creates cannot be atomic there (Cloud Storage itself honours it: atomicCreate=true by default); the driver still checks for the key before writing',
  },
} as const;

let gcs: GcsEmulator;
let proxy: TcpProxy;

beforeAll(async () => {
  gcs = await startGcsEmulator();
  proxy = await startTcpProxy(gcs.port);
});
afterAll(async () => {
  await proxy?.close();
  await gcs?.dispose();
});

const open = (bucket: string, prefix = '', options = {}) =>
  gcsStorage(gcs.uri(bucket, prefix), { capabilities: EMULATOR_CAPABILITIES, ...options });

storageConformance(
  'gs (firebase-tools Cloud Storage emulator 15.34.2)',
  async () => ({ storage: open('conformance', 'root/prefix') }),
  {
    additionalTests() {
      it('uses Cloud Storage capabilities by default (atomic ifGenerationMatch: 0)', () => {
        expect(gcsStorage(gcs.uri('any-bucket')).capabilities).toEqual({ atomicCreate: true });
      });
      it('round-trips 20 MiB through one resumable upload (no chunkSize) and a simple upload', async () => {
        const storage = open('conformance', 'sizes');
        const data = testBytes(20 * 1024 * 1024 + 5, 3);
        await writeObject(
          gcsStorage(gcs.uri('conformance', 'sizes'), { capabilities: EMULATOR_CAPABILITIES }),
          'resumable',
          data,
        );
        const w = (await storage.write('unknown-size')).getWriter();
        for (let at = 0; at < data.byteLength; at += 1 << 20)
          await w.write(data.subarray(at, at + (1 << 20)));
        await w.close();
        for (const k of ['resumable', 'unknown-size']) {
          const back = await readObject(storage, k);
          expect(back.byteLength).toBe(data.byteLength);
          expect(Buffer.compare(back, data)).toBe(0);
        }
      });
      it('round-trips at the bucket root (no prefix)', async () => {
        const storage = open('rootless');
        await writeObject(storage, 'at-root', new Uint8Array([1, 2, 3]));
        const keys: string[] = [];
        for await (const info of storage.list('')) keys.push(info.key);
        expect(keys).toEqual(['at-root']);
      });
      it('an unreachable endpoint → ERR_STORAGE_UNAVAILABLE after bounded retries', async () => {
        const storage = gcsStorage(
          `gs://no-server/p?AUTH=none&GCS_ENDPOINT=${encodeURIComponent('http://127.0.0.1:1')}`,
          { maxAttempts: 2 },
        );
        await expect(storage.stat('x')).rejects.toSatisfy(
          isStorageError('ERR_STORAGE_UNAVAILABLE'),
        );
      });
    },
  },
);

describe('gs outage (emulator behind a loopback TCP proxy)', () => {
  // The emulator keeps objects in memory only, so killing it would also lose what the test must
  // check survived; the proxy takes it off the network instead (connections reset, port closed).
  serverOutageTests('gs', () => ({
    storage: () =>
      gcsStorage(
        `gs://outage/p?AUTH=none&GCS_ENDPOINT=${encodeURIComponent(`http://127.0.0.1:${proxy.port}`)}`,
        { maxAttempts: 2, capabilities: EMULATOR_CAPABILITIES },
      ),
    stop: () => proxy.cut(),
    start: () => proxy.restore(),
    before: 10 * 1024 * 1024,
  }));
});
