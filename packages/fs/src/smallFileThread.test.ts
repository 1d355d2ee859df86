import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmallFileThread } from './smallFileThread.ts';
import type { SmallFile } from './writeSmallFile.ts';

let base: string;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'sealstream-small-files-'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

const file = (path: string, pieces: Uint8Array[], more: Partial<SmallFile> = {}): SmallFile => ({
  path,
  pieces,
  mode: 0o640,
  exact: false,
  mtime: 1_700_000_000.25,
  fsync: false,
  replace: false,
  ...more,
});

describe('SmallFileThread', () => {
  it('writes every file handed over, with its content, mode and mtime, in batches', async () => {
    const thread = new SmallFileThread();
    // Pieces that are views into one larger buffer, as a restore's pack window hands them out.
    const window = randomBytes(1 << 20);
    const want = new Map<string, Buffer>();
    for (let i = 0; i < 1000; i++) {
      const a = window.subarray(i * 300, i * 300 + (i % 7) * 40);
      const b = window.subarray(i * 500, i * 500 + 3);
      const path = join(base, `f${i}`);
      want.set(path, Buffer.concat([a, b]));
      await thread.write(file(path, [a, b]));
    }
    await thread.close();
    expect((await readdir(base)).length).toBe(1000);
    for (const [path, bytes] of want) expect((await readFile(path)).equals(bytes), path).toBe(true);
    const st = await stat(join(base, 'f999'));
    expect(st.mode & 0o777).toBe(0o640);
    expect(st.mtimeMs).toBe(1_700_000_000_250);
  });

  it('reports the first failure at settle and refuses files after it; keeps what was there', async () => {
    const thread = new SmallFileThread();
    const taken = join(base, 'taken');
    await writeFile(taken, 'mine');
    await thread.write(file(join(base, 'ok-1'), [Uint8Array.of(1)]));
    await thread.write(file(taken, [Uint8Array.of(2)]));
    await thread.write(file(join(base, 'no-such-dir', 'x'), [Uint8Array.of(3)]));
    await expect(thread.settle()).rejects.toMatchObject({ code: 'EEXIST', path: taken });
    expect(() => thread.write(file(join(base, 'ok-2'), [Uint8Array.of(4)]))).toThrow(/EEXIST/);
    await expect(thread.close()).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await readFile(taken, 'utf8')).toBe('mine');
    expect(await readFile(join(base, 'ok-1'))).toEqual(Buffer.of(1));
    await expect(stat(join(base, 'ok-2'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('replaces what a file left when told to', async () => {
    const thread = new SmallFileThread();
    const path = join(base, 'again');
    await writeFile(path, 'half');
    await thread.write(file(path, [Buffer.from('whole')], { replace: true }));
    await thread.close();
    expect(await readFile(path, 'utf8')).toBe('whole');
  });
});
