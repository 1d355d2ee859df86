import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMALL_FILE_BYTES } from '@sealstream/backup';
import { READ_CHUNK_SIZE } from '@sealstream/storage-local/fd';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFile, readSmallFile } from './openFile.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sealstream-openfile-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  for await (const c of stream) chunks.push(c);
  return chunks;
}

function joined(chunks: Uint8Array[]): Buffer {
  return Buffer.concat(chunks);
}

// Tail zeroing, ranges and closing the descriptor are tested with fdReadable (storage-local).
describe('openFile', () => {
  it.each([
    ['empty', 0],
    ['one byte', 1],
    ['small', 5000],
    ['one chunk', READ_CHUNK_SIZE],
    ['one chunk and a byte', READ_CHUNK_SIZE + 1],
    ['several chunks', 3 * READ_CHUNK_SIZE + 17],
  ])('reads a %s file whole, with and without its size', async (_, size) => {
    const bytes = randomBytes(size);
    const path = join(dir, `f-${size}`);
    await writeFile(path, bytes);
    for (const hint of [undefined, size]) {
      const chunks = await readAll(openFile(path, hint));
      expect(joined(chunks).equals(bytes)).toBe(true);
      for (const c of chunks) {
        expect(c.byteLength).toBeGreaterThan(0);
        expect(c.byteLength).toBeLessThanOrEqual(READ_CHUNK_SIZE);
        expect(Buffer.isBuffer(c)).toBe(false);
      }
    }
  });

  it('reads to the real end when the size hint is stale', async () => {
    const bytes = randomBytes(3000);
    const path = join(dir, 'stale');
    await writeFile(path, bytes);
    expect(joined(await readAll(openFile(path, 1000))).equals(bytes)).toBe(true);
    expect(joined(await readAll(openFile(path, 9000))).equals(bytes)).toBe(true);
  });

  it('fails with the file system error when the file is missing', async () => {
    await expect(readAll(openFile(join(dir, 'missing')))).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });
});

describe('readSmallFile', () => {
  async function bytesOf(got: Uint8Array | ReadableStream<Uint8Array>): Promise<Buffer> {
    return got instanceof Uint8Array ? Buffer.from(got) : joined(await readAll(got));
  }

  it.each([0, 1, 100, SMALL_FILE_BYTES])(
    'returns a %i-byte file as bytes, read at once',
    async (size) => {
      const bytes = randomBytes(size);
      const path = join(dir, `small-${size}`);
      await writeFile(path, bytes);
      const got = readSmallFile(path, size);
      expect(got).toBeInstanceOf(Uint8Array);
      expect(Buffer.from(got as Uint8Array).equals(bytes)).toBe(true);
    },
  );

  it('streams a file listed larger than SMALL_FILE_BYTES', async () => {
    const bytes = randomBytes(SMALL_FILE_BYTES + 1);
    const path = join(dir, 'not-small');
    await writeFile(path, bytes);
    const got = readSmallFile(path, bytes.length);
    expect(got).toBeInstanceOf(ReadableStream);
    expect((await bytesOf(got)).equals(bytes)).toBe(true);
  });

  it('reads a file that grew or shrank since it was listed to its real end', async () => {
    for (const [listed, now] of [
      [10, 11],
      [10, 5],
      [10, 3 * SMALL_FILE_BYTES],
    ] as const) {
      const bytes = randomBytes(now);
      const path = join(dir, `changed-${listed}-${now}`);
      await writeFile(path, bytes);
      expect((await bytesOf(readSmallFile(path, listed))).equals(bytes), `${listed} → ${now}`).toBe(
        true,
      );
    }
  });

  it('fails with the file system error when the file is missing', () => {
    expect(() => readSmallFile(join(dir, 'missing'), 3)).toThrow(/ENOENT/);
  });
});
