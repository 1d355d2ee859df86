import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReadAhead } from './ReadAhead.ts';

let base: string;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'sealstream-read-ahead-'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

const FAST = 0.01;
const SLOW = 0.5;
/** Reports one window of 32 reads, `slow` of them slow. */
const window = (ahead: ReadAhead, slow: number) => {
  for (let i = 0; i < 32; i++) ahead.took(i < slow ? SLOW : FAST);
};
const until = async (done: () => boolean) => {
  for (let i = 0; i < 500 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('ReadAhead', () => {
  it('stays off, and starts nothing, while reads are fast (a warm cache)', async () => {
    const ahead = new ReadAhead();
    for (let w = 0; w < 20; w++) window(ahead, 7);
    expect(ahead.active).toBe(false);
    expect(ahead.start(join(base, 'any'))).toBe(false);
    expect(ahead.pending).toBe(0);
    await ahead.close();
  });

  it('starts after a window with 8 slow reads, then pauses after 16 windows to judge again', async () => {
    const ahead = new ReadAhead();
    window(ahead, 8);
    expect(ahead.active).toBe(true);
    // Its own reads are fast while it works: it still runs out its 16 windows.
    for (let w = 1; w < 16; w++) {
      window(ahead, 0);
      expect(ahead.active, `window ${w}`).toBe(true);
    }
    window(ahead, 0);
    expect(ahead.active).toBe(false);
    // The window that judges again: fast reads keep it off, slow ones start it again.
    window(ahead, 0);
    expect(ahead.active).toBe(false);
    window(ahead, 31);
    expect(ahead.active).toBe(true);
    await ahead.close();
  });

  it('reads the files it is handed on its thread, at most 32 at a time', async () => {
    const ahead = new ReadAhead();
    window(ahead, 32);
    const paths: string[] = [];
    for (let i = 0; i < 40; i++) {
      paths.push(join(base, `f${i}`));
      await writeFile(paths[i] as string, `file ${i}`);
    }
    let started = 0;
    for (const path of paths.slice(0, 32)) if (ahead.start(path)) started++;
    expect(started).toBe(32);
    expect(ahead.pending).toBeGreaterThan(0);
    // The thread counts each file it has read, and a file that cannot be opened as well.
    await until(() => ahead.pending === 0);
    expect(ahead.pending).toBe(0);
    expect(ahead.start(join(base, 'no-such-file'))).toBe(true);
    for (const path of paths.slice(32)) expect(ahead.start(path)).toBe(true);
    await until(() => ahead.pending === 0);
    expect(ahead.pending).toBe(0);
    await ahead.close();
  });
});
