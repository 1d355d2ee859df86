import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesDiff, streamOf, testBytes } from '@sealstream/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalWritable } from './localWritable.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sealstream-writable-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('openLocalWritable with background syncs', () => {
  it('writes correctly while fdatasyncs run in the background', async () => {
    const data = testBytes(12 * 1024 * 1024 + 3, 1);
    const w = await openLocalWritable({
      path: join(dir, 'synced'),
      ifAbsent: false,
      uri: dir,
      key: 'synced',
      syncEvery: 512 * 1024,
    });
    await streamOf(data, { minChunk: 1, maxChunk: 700_000, seed: 4 }).pipeTo(w);
    expect(bytesDiff(new Uint8Array(await readFile(join(dir, 'synced'))), data)).toBe('');
  });
  it('cleans up when aborted with a background sync in flight', async () => {
    const w = await openLocalWritable({
      path: join(dir, 'aborted'),
      ifAbsent: true,
      uri: dir,
      key: 'aborted',
      syncEvery: 1,
    });
    const writer = w.getWriter();
    for (let i = 0; i < 8; i++) await writer.write(testBytes(1024 * 1024, i));
    await writer.abort(new Error('stop'));
    expect((await readdir(dir)).filter((n) => n.includes('aborted'))).toEqual([]);
  });
  it('never syncs in the background with syncEvery: 0 and still commits', async () => {
    const data = testBytes(3 * 1024 * 1024, 2);
    const w = await openLocalWritable({
      path: join(dir, 'nosync'),
      ifAbsent: true,
      uri: dir,
      key: 'nosync',
      syncEvery: 0,
    });
    await streamOf(data, { minChunk: 100_000, maxChunk: 100_000, seed: 1 }).pipeTo(w);
    expect(bytesDiff(new Uint8Array(await readFile(join(dir, 'nosync'))), data)).toBe('');
  });
});
