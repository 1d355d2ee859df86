import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncDirectory } from './syncDirectory.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sealstream-syncdir-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('syncDirectory', () => {
  it('resolves every one of many concurrent calls, and again afterwards', async () => {
    const calls = Array.from({ length: 20 }, () => syncDirectory(dir));
    // Callers after the first share at most one further fsync.
    expect(new Set(calls.slice(1)).size).toBe(1);
    await expect(Promise.all(calls)).resolves.toHaveLength(20);
    await expect(syncDirectory(dir)).resolves.toBeUndefined();
  });

  it('rejects every caller of a missing directory, then works once it exists', async () => {
    const missing = join(dir, 'missing');
    const calls = [syncDirectory(missing), syncDirectory(missing), syncDirectory(missing)];
    for (const c of calls) await expect(c).rejects.toMatchObject({ code: 'ENOENT' });
    await mkdir(missing);
    await expect(syncDirectory(missing)).resolves.toBeUndefined();
  });
});
