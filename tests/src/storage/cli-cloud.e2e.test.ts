import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Storage } from '@sealstream/storage';
import { azureBlobStorage } from '@sealstream/storage-azure';
import { gcsStorage } from '@sealstream/storage-gcs';
import { s3Storage } from '@sealstream/storage-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AZURITE_ACCOUNT,
  AZURITE_KEY,
  type Azurite,
  startAzurite,
} from '../../services/azurite.ts';
import { CEPH_ACCESS_KEY, CEPH_SECRET_KEY, type Ceph, startCeph } from '../../services/ceph.ts';
import { type GcsEmulator, startGcsEmulator } from '../../services/gcsEmulator.ts';
import { importFromPackage } from '../../services/paths.ts';
import { startTcpProxy } from '../../services/tcpProxy.ts';
import { raceIncrementals } from '../cli/raceIncrementals.ts';
import { cliOk, describeTree, runCli, startCli } from '../cli/runCli.ts';

const work = mkdtempSync(join(tmpdir(), 'sealstream-cli-cloud-'));
const pass = join(work, 'pass');
const pass2 = join(work, 'pass2');
writeFileSync(pass, 'cloud e2e passphrase\n', { mode: 0o600 });
writeFileSync(pass2, 'a second passphrase added by alter\n', { mode: 0o600 });
const key = ['--passphrase-file', pass];

let ceph: Ceph;
let azurite: Azurite;
let gcs: GcsEmulator;
type S3Sdk = typeof import('@aws-sdk/client-s3');
let s3sdk: S3Sdk;
let s3client: InstanceType<S3Sdk['S3Client']>;

beforeAll(async () => {
  [ceph, azurite, gcs] = await Promise.all([startCeph(), startAzurite(), startGcsEmulator()]);
  const s3 = await importFromPackage<typeof import('@aws-sdk/client-s3')>(
    'storage-s3',
    '@aws-sdk/client-s3',
  );
  const client = new s3.S3Client({
    region: 'us-east-1',
    endpoint: ceph.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: CEPH_ACCESS_KEY, secretAccessKey: CEPH_SECRET_KEY },
  });
  await client.send(new s3.CreateBucketCommand({ Bucket: 'backups' }));
  s3sdk = s3;
  s3client = client;
  const az = await importFromPackage<typeof import('@azure/storage-blob')>(
    'storage-azure',
    '@azure/storage-blob',
  );
  const service = new az.BlobServiceClient(
    azurite.endpoint,
    new az.StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY),
  );
  await service.getContainerClient('backups').createIfNotExists();
}, 600_000); // startCeph: up to 3 attempts of at most 180 s each
afterAll(async () => {
  s3client?.destroy();
  await Promise.all([ceph?.dispose(), azurite?.dispose(), gcs?.dispose()]);
  rmSync(work, { recursive: true, force: true });
});

/** A small tree with a multi-part file (12 MiB: more than one S3 part / Azure block). */
function makeTree(dir: string): void {
  mkdirSync(join(dir, 'west', 'deep'), { recursive: true });
  mkdirSync(join(dir, 'east'), { recursive: true });
  writeFileSync(join(dir, 'top.txt'), 'top level\n');
  writeFileSync(join(dir, 'west', 'deep', 'w.txt'), 'west side\n');
  writeFileSync(join(dir, 'east', 'e.bin'), randomBytes(100_000));
  writeFileSync(join(dir, 'big.bin'), randomBytes(12 * 1024 * 1024));
  writeFileSync(join(dir, 'gone-later.txt'), 'deleted before the incremental\n');
}

async function keysIn(storage: Storage, prefix = ''): Promise<string[]> {
  const keys: string[] = [];
  for await (const info of storage.list(prefix)) keys.push(info.key);
  return keys;
}

const backends = () => [
  {
    name: 's3 (Ceph RGW)',
    uri: ceph.uri('backups', 'cli/e2e'),
    open: () => s3Storage(ceph.uri('backups', 'cli/e2e')),
  },
  {
    name: 'azure-blob (Azurite)',
    uri: azurite.uri('backups', 'cli/e2e'),
    open: () => azureBlobStorage(azurite.uri('backups', 'cli/e2e')),
  },
  {
    name: 'gs (emulator)',
    uri: gcs.uri('backups', 'cli/e2e'),
    open: () => gcsStorage(gcs.uri('backups', 'cli/e2e')),
  },
];

describe('sealstream CLI against real object storage servers', () => {
  for (const index of [0, 1, 2]) {
    it(`backend #${index + 1}: full + incremental backup, restore, verify, show, alter`, {
      timeout: 300_000,
    }, async () => {
      const backend = backends()[index];
      if (!backend) throw new Error('no backend');
      const src = join(work, `src-${index}`);
      makeTree(src);
      const full = JSON.parse(
        (await cliOk(['backup', src, '--into', backend.uri, ...key, '--kdf', 'pbkdf2', '--json']))
          .stdout,
      );
      expect(full, backend.name).toMatchObject({ ok: true, type: 'full' });
      const fullTree = describeTree(src);

      writeFileSync(join(src, 'top.txt'), 'top level, changed\n');
      writeFileSync(join(src, 'east', 'new.txt'), 'added for the incremental\n');
      unlinkSync(join(src, 'gone-later.txt'));
      const inc = JSON.parse(
        (await cliOk(['backup', src, '--into', backend.uri, '--incremental', ...key, '--json']))
          .stdout,
      );
      expect(inc).toMatchObject({ ok: true, type: 'incremental' });
      expect(inc.written.objects, 'an incremental writes only what changed').toBeLessThan(
        full.written.objects,
      );

      const out = join(work, `out-${index}`);
      const restored = await cliOk([
        'restore',
        'LATEST',
        '--from',
        backend.uri,
        '--to',
        out,
        ...key,
      ]);
      expect(describeTree(out)).toEqual(describeTree(src));
      // No per-download noise on stderr: the GCS SDK's HTTP layer warns of a listener leak on
      // every streamed download, and the CLI drops that one warning (quietKnownWarnings.ts).
      // Other warnings stay, e.g. the AWS SDK's one-time notice about Node 20 support.
      expect(restored.stderr, backend.name).not.toContain('MaxListenersExceededWarning');
      const outFull = join(work, `out-full-${index}`);
      await cliOk([
        'restore',
        'LATEST',
        '--from',
        backend.uri,
        '--to',
        outFull,
        '--as-of',
        full.id,
        ...key,
      ]);
      expect(describeTree(outFull)).toEqual(fullTree);

      await cliOk(['verify', 'LATEST', '--in', backend.uri, ...key]);
      const show = await cliOk(['show', 'LATEST', '--in', backend.uri, ...key]);
      expect(show.stdout).toContain('big.bin');
      expect(show.stdout).toContain('incremental');

      await cliOk(['alter', 'LATEST', '--in', backend.uri, ...key, '--add-passphrase-file', pass2]);
      await cliOk(['verify', 'LATEST', '--in', backend.uri, '--passphrase-file', pass2]);

      // What is on the server: the dated full backup, its incremental, no stray temporaries.
      const keys = await keysIn(backend.open());
      expect(keys.some((k) => k.endsWith('/SNAPSHOT'))).toBe(true);
      expect(keys.filter((k) => k.includes('ENCRYPTION_INFO')).length).toBeGreaterThanOrEqual(2);
      const listing = JSON.stringify(keys);
      expect(listing).not.toMatch(/tmp|\.part/i);
      // No secret of the URI ends up in what the CLI prints.
      for (const r of [full, inc]) expect(JSON.stringify(r)).not.toContain(CEPH_SECRET_KEY);
    });
  }

  it('one backup across S3 + Azure + local disk (locality-aware), restored from all three', {
    timeout: 300_000,
  }, async () => {
    const src = join(work, 'src-locality');
    makeTree(src);
    const local = join(work, 'east-disk');
    mkdirSync(local);
    const s3 = ceph.uri('backups', 'cli/locality');
    const az = `${azurite.uri('backups', 'cli/locality')}&COCKROACH_LOCALITY=${encodeURIComponent('region=west')}`;
    const disk = `${pathToFileURL(local).href}?COCKROACH_LOCALITY=${encodeURIComponent('region=east')}`;
    const into = ['--into', `${s3}&COCKROACH_LOCALITY=default`, '--into', az, '--into', disk];
    const b = await cliOk([
      'backup',
      src,
      ...into,
      '--locality',
      'west=region=west',
      '--locality',
      'east=region=east',
      ...key,
      '--kdf',
      'pbkdf2',
      '--json',
    ]);
    expect(JSON.parse(b.stdout)).toMatchObject({ ok: true, type: 'full' });

    // Each destination holds data packs: west's files in Azure, east's on disk, the rest (and
    // the snapshot, the tree packs, ENCRYPTION_INFO) in S3.
    const azKeys = await keysIn(azureBlobStorage(azurite.uri('backups', 'cli/locality')));
    const s3Keys = await keysIn(s3Storage(s3));
    expect(
      azKeys.filter((k) => k.includes('/packs/')).length,
      JSON.stringify(azKeys),
    ).toBeGreaterThan(0);
    expect(
      azKeys.every((k) => k.includes('/packs/')),
      JSON.stringify(azKeys),
    ).toBe(true);
    expect(s3Keys.some((k) => k.endsWith('/SNAPSHOT'))).toBe(true);
    expect(s3Keys.filter((k) => k.includes('/packs/')).length).toBeGreaterThan(0);
    const diskFiles = readdirSync(local, { recursive: true }).map(String);
    expect(
      diskFiles.filter((f) => f.includes('packs/')).length,
      JSON.stringify(diskFiles),
    ).toBeGreaterThan(0);

    const from = ['--from', s3, '--from', az, '--from', disk];
    const out = join(work, 'out-locality');
    await cliOk(['restore', 'LATEST', ...from, '--to', out, ...key]);
    expect(describeTree(out)).toEqual(describeTree(src));
    await cliOk(['verify', 'LATEST', '--in', s3, '--in', az, '--in', disk, ...key]);

    // Without the disk destination, restore says which locality is missing.
    const partial = await runCli([
      'restore',
      'LATEST',
      '--from',
      s3,
      '--from',
      az,
      '--to',
      join(work, 'out-partial'),
      ...key,
    ]);
    expect(partial.code).not.toBe(0);
    expect(partial.stderr).toContain('region=east');
    expect(partial.stderr).not.toContain(CEPH_SECRET_KEY);
    expect(partial.stderr).not.toContain(AZURITE_KEY);
  });
  it('two backups started at the same moment into one S3 collection: each succeeds or fails cleanly, LATEST stays valid', {
    timeout: 300_000,
  }, async () => {
    const uri = ceph.uri('backups', 'cli/race');
    const a = join(work, 'race-a');
    const b = join(work, 'race-b');
    makeTree(a);
    makeTree(b);
    const results = await Promise.all(
      [a, b].map((src) =>
        runCli(['backup', src, '--into', uri, ...key, '--kdf', 'pbkdf2', '--json']),
      ),
    );
    const ok = results.filter((r) => r.code === 0);
    expect(ok.length, results.map((r) => r.stderr).join('\n')).toBeGreaterThanOrEqual(1);
    for (const r of results) {
      if (r.code !== 0) {
        expect(r.stderr.trim(), 'a losing backup says why').not.toBe('');
        expect(r.stderr).not.toContain(CEPH_SECRET_KEY);
      }
    }
    const out = join(work, 'out-race');
    await cliOk(['restore', 'LATEST', '--from', uri, '--to', out, ...key]);
    const restored = describeTree(out);
    expect([describeTree(a), describeTree(b)]).toContainEqual(restored);
    await cliOk(['verify', 'LATEST', '--in', uri, ...key]);
  });

  it('incrementals racing for one chain in one S3 collection: each joins it or fails with ERR_BACKUP_CONFLICT', {
    timeout: 300_000,
  }, async () => {
    const dir = join(work, 'race-inc');
    mkdirSync(dir);
    await raceIncrementals(ceph.uri('backups', 'cli/race-inc'), dir, key, 3);
  });

  it('RGW stopped in the middle of a CLI backup: clean error, earlier backup and LATEST intact, a retry succeeds', {
    timeout: 300_000,
  }, async () => {
    const uri = ceph.uri('backups', 'cli/outage');
    const src = join(work, 'outage-src');
    makeTree(src);
    await cliOk(['backup', src, '--into', uri, ...key, '--kdf', 'pbkdf2', '--json']);
    const before = describeTree(src);
    writeFileSync(join(src, 'huge.bin'), randomBytes(96 * 1024 * 1024));
    const packs = async () => {
      const res = await s3client.send(
        new s3sdk.ListObjectsV2Command({ Bucket: 'backups', Prefix: 'cli/outage/' }),
      );
      return (res.Contents ?? []).filter((o) => o.Key?.includes('/packs/')).length;
    };
    const packsBefore = await packs();
    const run = startCli(['backup', src, '--into', uri, ...key, '--kdf', 'pbkdf2', '--json']);
    // Kill the gateway once the new backup has written its first pack (96 MiB of new data make
    // six of 16 MiB, so the backup is still under way).
    let inFlight = false;
    for (let i = 0; i < 600 && !inFlight; i++) {
      inFlight = (await packs()) > packsBefore;
      if (!inFlight) await new Promise((r) => setTimeout(r, 100));
    }
    expect(inFlight, 'saw the backup upload in progress').toBe(true);
    await ceph.stopGateway();
    const failed = await run.done;
    await ceph.startGateway();
    expect(failed.code, failed.stdout).not.toBe(0);
    expect(failed.stderr).toMatch(/unavailable|ECONNREFUSED|ECONNRESET/i);
    expect(failed.stderr).not.toContain(CEPH_SECRET_KEY);

    const out = join(work, 'out-outage-before');
    await cliOk(['restore', 'LATEST', '--from', uri, '--to', out, ...key]);
    expect(describeTree(out), 'LATEST is still the earlier backup').toEqual(before);
    await cliOk(['verify', 'LATEST', '--in', uri, ...key]);

    await cliOk(['backup', src, '--into', uri, ...key, '--kdf', 'pbkdf2', '--json']);
    const after = join(work, 'out-outage-after');
    await cliOk(['restore', 'LATEST', '--from', uri, '--to', after, ...key]);
    expect(describeTree(after)).toEqual(describeTree(src));
  });

  it('restore --object fetches only the pack windows it needs (bytes counted at a proxy in front of Azurite)', {
    timeout: 300_000,
  }, async () => {
    const proxy = await startTcpProxy(azurite.port);
    try {
      const uri = azurite
        .uri('backups', 'cli/ranged')
        .replace(`127.0.0.1%3A${azurite.port}`, `127.0.0.1%3A${proxy.port}`);
      const src = join(work, 'ranged-src');
      makeTree(src);
      await cliOk(['backup', src, '--into', uri, ...key, '--kdf', 'pbkdf2', '--json']);
      proxy.resetCount();
      const all = join(work, 'ranged-all');
      await cliOk(['restore', 'LATEST', '--from', uri, '--to', all, ...key]);
      const whole = proxy.bytesFromServer();
      expect(whole).toBeGreaterThan(12 * 1024 * 1024);
      proxy.resetCount();
      const one = join(work, 'ranged-one');
      await cliOk(['restore', 'LATEST', '--from', uri, '--to', one, '--object', 'top.txt', ...key]);
      const part = proxy.bytesFromServer();
      expect(describeTree(one)['top.txt']).toEqual(describeTree(src)['top.txt']);
      // A restore reads packs a window (at most 1 MiB) at a time, plus metadata.
      expect(part, `restore --object read ${part} bytes, a full restore ${whole}`).toBeLessThan(
        2 * 1024 * 1024,
      );
    } finally {
      await proxy.close();
    }
  });
});
