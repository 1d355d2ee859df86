import { randomBytes } from 'node:crypto';
import { open, openSync } from 'node:fs';
import { mkdtemp, readdir, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fdReadable, READ_CHUNK_SIZE, WHOLE_RANGE_MAX } from './fdReadable.ts';

const openFd = promisify(open);
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sealstream-fdreadable-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readAll(
  stream: ReadableStream<Uint8Array>,
  most = READ_CHUNK_SIZE,
): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const c of stream) {
    expect(c.byteLength).toBeGreaterThan(0);
    expect(c.byteLength).toBeLessThanOrEqual(most);
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}

/** Descriptors this process has open on files under `dir`. */
async function openUnder(): Promise<number> {
  let n = 0;
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    if (target.startsWith(dir)) n++;
  }
  return n;
}

describe('fdReadable', () => {
  const size = 2 * READ_CHUNK_SIZE + 100;
  const bytes = randomBytes(size);
  let path: string;
  beforeAll(async () => {
    path = join(dir, 'data');
    await writeFile(path, bytes);
  });

  it.each([
    ['the whole file', undefined, undefined],
    ['from an offset to the end', 1000, undefined],
    ['up to an offset', undefined, READ_CHUNK_SIZE + 5],
    ['a range inside one chunk', 10, 20],
    ['a range across chunks', READ_CHUNK_SIZE - 3, 2 * READ_CHUNK_SIZE + 7],
    ['a range ending past the end', 5, size + 1000],
    ['an empty range', 50, 50],
  ])('reads %s, with and without the size hint', async (_, start, end) => {
    const want = bytes.subarray(start ?? 0, Math.min(end ?? size, size));
    for (const sizeHint of [undefined, size, 10, size + 10]) {
      const given = Object.entries({ start, end, sizeHint }).filter(([, v]) => v !== undefined);
      const stream = fdReadable(() => openFd(path, 'r'), Object.fromEntries(given));
      expect((await readAll(stream)).equals(want)).toBe(true);
      const whole = fdReadable(() => openFd(path, 'r'), {
        ...Object.fromEntries(given),
        oneChunk: true,
      });
      const most = end === undefined ? READ_CHUNK_SIZE : WHOLE_RANGE_MAX;
      expect((await readAll(whole, most)).equals(want)).toBe(true);
    }
    expect(await openUnder()).toBe(0);
  });

  it('with oneChunk reads a range of up to 16 MiB as one chunk, a longer one in 1 MiB chunks', async () => {
    const sizes = async (start: number, end: number) => {
      const got: number[] = [];
      for await (const c of fdReadable(() => openFd(path, 'r'), { start, end, oneChunk: true }))
        got.push(c.length);
      return got;
    };
    expect(await sizes(7, 2 * READ_CHUNK_SIZE + 50)).toEqual([2 * READ_CHUNK_SIZE + 43]);
    const big = join(dir, 'big');
    await writeFile(big, new Uint8Array(WHOLE_RANGE_MAX + 2));
    let n = 0;
    for await (const c of fdReadable(() => openFd(big, 'r'), {
      start: 1,
      end: WHOLE_RANGE_MAX + 2,
    }))
      expect(c.length, `chunk ${n++}`).toBeLessThanOrEqual(READ_CHUNK_SIZE);
    expect(n).toBe(17);
  });

  it('reads a file that grew past its size hint in whole chunks, not byte by byte', async () => {
    let chunks = 0;
    for await (const _ of fdReadable(() => openFd(path, 'r'), { sizeHint: 10 })) chunks++;
    // 11 bytes (the hint and one), then the rest in chunks of READ_CHUNK_SIZE.
    expect(chunks).toBe(1 + Math.ceil((size - 11) / READ_CHUNK_SIZE));
  });

  it('zeroes the unused tail of a short read, which chunk.buffer would reach', async () => {
    const stream = fdReadable(() => openFd(path, 'r'), { start: size - 10 });
    const chunks: Uint8Array[] = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks).toHaveLength(1);
    const whole = new Uint8Array((chunks[0] as Uint8Array).buffer);
    expect(whole.length).toBeGreaterThan(10);
    expect(whole.subarray(10).every((b) => b === 0)).toBe(true);
  });

  it('reports failures through mapError', async () => {
    let opened = 0;
    const stream = fdReadable(
      () => {
        opened++;
        return openFd(join(dir, 'missing'), 'r');
      },
      { mapError: (e) => new Error(`mapped: ${(e as NodeJS.ErrnoException).code}`) },
    );
    await expect(readAll(stream)).rejects.toThrow('mapped: ENOENT');
    expect(opened).toBe(1);
  });

  it('closes the file on cancel', async () => {
    const reader = fdReadable(() => openFd(path, 'r')).getReader();
    await reader.read();
    expect(await openUnder()).toBe(1);
    await reader.cancel();
    expect(await openUnder()).toBe(0);
  });
});

describe('fdReadable, dropped streams', () => {
  it('closes the descriptor of a stream dropped unread once it is collected', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const path = join(dir, 'dropped');
    await writeFile(path, randomBytes(3 * READ_CHUNK_SIZE));
    const before = await openUnder();
    (() => {
      // An open descriptor handed over, then the stream is dropped after its read-ahead, with
      // neither a read to the end nor a cancel.
      fdReadable(openSync(path, 'r'));
    })();
    expect(await openUnder()).toBe(before + 1);
    for (let i = 0; i < 20 && (await openUnder()) > before; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await openUnder()).toBe(before);
  });
});
