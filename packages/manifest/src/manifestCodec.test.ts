import { describe, expect, it } from 'vitest';
import type { BackupManifest } from './BackupManifest.ts';
import { ManifestBuilder } from './ManifestBuilder.ts';
import { decodeManifest, encodeManifest, isSafeObjectName } from './manifestCodec.ts';

const id = '2026/11/28-011500.12';
const chainId = 'ab'.repeat(16);

function sample(): BackupManifest {
  const b = new ManifestBuilder({
    backupId: id,
    fullBackup: id,
    chainId,
    type: 'full',
    startTime: 't0',
  });
  b.add({
    name: 'z.txt',
    type: 'file',
    size: 3,
    mode: 0o644,
    mtime: 1_700_000_000_000,
    data: {
      path: `${id}/data/x-1.sst`,
      locality: 'default',
      layer: id,
      ciphertextSize: 80,
      segmentSize: 1024,
    },
  });
  b.add({
    name: 'y.txt',
    type: 'file',
    size: 5,
    data: {
      path: `${id}/data/x-p1.ssp`,
      locality: 'default',
      layer: id,
      ciphertextSize: 105,
      segmentSize: 1024,
      offset: 80,
    },
  });
  b.add({ name: 'a', type: 'dir', size: 0, mode: 0o755 });
  b.add({ name: 'a/link', type: 'symlink', size: 0, target: '../z.txt' });
  return b.finish({ endTime: 't1', previous: [{ name: 'gone', type: 'file', size: 0 }] });
}

describe('manifest codec', () => {
  it('round-trips a sorted manifest and records deletions', async () => {
    const m = sample();
    expect(m.objects.map((o) => o.name)).toEqual(['a', 'a/link', 'y.txt', 'z.txt']);
    expect(m.deleted).toEqual(['gone']);
    expect(await decodeManifest(await encodeManifest(m), 'f')).toEqual(m);
  });

  it('detects any change through the checksum', async () => {
    const bytes = await encodeManifest(sample());
    const text = new TextDecoder().decode(bytes).replace('"size":3', '"size":4');
    await expect(decodeManifest(new TextEncoder().encode(text), 'f')).rejects.toMatchObject({
      code: 'ERR_MANIFEST_CHECKSUM',
      file: 'f',
    });
  });

  it('refuses unsafe names even with a valid checksum', async () => {
    const m = sample();
    m.objects = [{ name: '../etc/passwd', type: 'file', size: 0 }];
    await expect(decodeManifest(await encodeManifest(m), 'f')).rejects.toMatchObject({
      code: 'ERR_MANIFEST_INVALID',
    });
  });

  it('reads a pack offset, and refuses a negative one', async () => {
    const m = await decodeManifest(await encodeManifest(sample()), 'f');
    expect(m.objects.find((o) => o.name === 'y.txt')?.data?.offset).toBe(80);
    expect(m.objects.find((o) => o.name === 'z.txt')?.data).not.toHaveProperty('offset');
    const bad = sample();
    (bad.objects[2]?.data as { offset: number }).offset = -1;
    await expect(decodeManifest(await encodeManifest(bad), 'f')).rejects.toMatchObject({
      code: 'ERR_MANIFEST_INVALID',
    });
  });

  it('refuses out-of-order objects', async () => {
    const m = sample();
    m.objects.reverse();
    await expect(decodeManifest(await encodeManifest(m), 'f')).rejects.toThrow(/out of order/);
  });

  it('knows safe names', () => {
    for (const ok of ['a', 'a/b', 'é/ü 1.txt', '.hidden']) expect(isSafeObjectName(ok)).toBe(true);
    for (const bad of ['', '/a', 'a//b', 'a/../b', '.', 'a/.', 'a\0b'])
      expect(isSafeObjectName(bad)).toBe(false);
  });

  it('builder refuses duplicates and unsafe names', () => {
    const b = new ManifestBuilder({
      backupId: id,
      fullBackup: id,
      chainId,
      type: 'full',
      startTime: '',
    });
    b.add({ name: 'x', type: 'file', size: 0 });
    expect(() => b.add({ name: 'x', type: 'file', size: 0 })).toThrow(/duplicate/);
    expect(() => b.add({ name: '/x', type: 'file', size: 0 })).toThrow(/safe/);
  });
});
