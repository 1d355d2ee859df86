import { kmsConformance } from '@sealstream/kms/testing';
import { gcpKeyWrapper } from '@sealstream/kms-gcp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type GcpKmsEmulator,
  type ServiceAccountKey,
  startGcpKms,
} from '../../emulators/gcpKms.ts';
import { caught, unexpected } from './failure.ts';

const b64 = (sa: ServiceAccountKey): string => Buffer.from(JSON.stringify(sa)).toString('base64');
const uriFor = (
  emu: GcpKmsEmulator,
  keyName: string,
  credentialsB64 = emu.credentialsB64,
): string =>
  `gs:///${keyName}?AUTH=specified&CREDENTIALS=${encodeURIComponent(credentialsB64)}&GCP_ENDPOINT=${encodeURIComponent(emu.url)}`;

kmsConformance('gs (@google-cloud/kms REST against the loopback emulator)', async () => {
  const emu = await startGcpKms();
  const a = emu.createKey();
  const b = emu.createKey({ ring: 'other-ring' });
  const intruder = emu.untrustedServiceAccount();
  return {
    key: gcpKeyWrapper(uriFor(emu, a)),
    otherKey: gcpKeyWrapper(uriFor(emu, b)),
    badCredentials: gcpKeyWrapper(uriFor(emu, a, b64(intruder))),
    secrets: [
      emu.credentialsB64,
      encodeURIComponent(emu.credentialsB64),
      emu.serviceAccount.private_key.split('\n')[5] as string,
      b64(intruder),
      intruder.private_key.split('\n')[5] as string,
    ],
    setDown: (d) => emu.setDown(d),
    setThrottle: (n) => emu.setThrottle(n),
    close: () => emu.stop(),
  };
});

describe('gs KMS provider against the emulator', () => {
  let emu: GcpKmsEmulator;
  beforeAll(async () => {
    emu = await startGcpKms();
  });
  afterAll(() => emu.stop());
  const dek = crypto.getRandomValues(new Uint8Array(32));

  it('stores the CryptoKey name and sends CRC32C fields the emulator verifies', async () => {
    const k = emu.createKey();
    const w = gcpKeyWrapper(uriFor(emu, k));
    const entry = await w.wrap(dek, new Uint8Array([1, 2, 3]));
    expect(entry).toMatchObject({ scheme: 'gs', id: k });
    expect(await w.unwrap(entry, new Uint8Array([1, 2, 3]))).toEqual(dek);
  });

  it('refuses a key of another purpose (ASYMMETRIC_SIGN) with ERR_KMS_KEY_UNUSABLE', async () => {
    const k = emu.createKey({ purpose: 'ASYMMETRIC_SIGN' });
    const e = await gcpKeyWrapper(uriFor(emu, k)).wrap(dek).then(unexpected, caught);
    expect(e.code).toBe('ERR_KMS_KEY_UNUSABLE');
    expect(e.message).toContain('FAILED_PRECONDITION');
    expect(e.message).toContain('CREDENTIALS=redacted');
    expect(e.message).not.toContain(emu.credentialsB64.slice(0, 40));
  });

  it('reports a denied or missing key as ERR_KMS_ACCESS_DENIED', async () => {
    const k = emu.createKey({ deny: true });
    const e = await gcpKeyWrapper(uriFor(emu, k)).wrap(dek).then(unexpected, caught);
    expect(e.code).toBe('ERR_KMS_ACCESS_DENIED');
    expect(e.message).toContain('PERMISSION_DENIED');
    const missing = await gcpKeyWrapper(
      uriFor(emu, `projects/${emu.project}/locations/global/keyRings/backups/cryptoKeys/nope`),
    )
      .wrap(dek)
      .then(unexpected, caught);
    expect(missing.code).toBe('ERR_KMS_ACCESS_DENIED');
  });

  it('gives up on an endpoint that accepts but never answers, per the configured timeouts', async () => {
    const k = emu.createKey();
    const w = gcpKeyWrapper(uriFor(emu, k), { maxAttempts: 2, attemptTimeoutMs: 500 });
    const entry = await w.wrap(dek);
    emu.setHang(true);
    try {
      const before = emu.requestCount;
      const started = Date.now();
      const e = await w.unwrap(entry).then(unexpected, caught);
      expect(e.code, e.message).toBe('ERR_KMS_UNAVAILABLE');
      expect(emu.requestCount - before).toBe(2);
      // A bound on giving up, not a speed measurement.
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      emu.setHang(false);
    }
  });
});
