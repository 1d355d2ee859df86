import { describe, expect, it } from 'vitest';
import { memoryStorage } from './memoryStorage.ts';
import { readObject } from './readObject.ts';
import type { Storage, WriteOptions } from './Storage.ts';
import { countingStorage } from './testing/countingStorage.ts';
import { writeObject } from './writeObject.ts';

const enc = new TextEncoder();

describe('writeObject / readObject', () => {
  it('round-trip bytes and streams, and read ranges', async () => {
    const storage = memoryStorage();
    await writeObject(storage, 'a', enc.encode('hello world'));
    await writeObject(
      storage,
      'b',
      new Blob(['str', 'eam']).stream() as ReadableStream<Uint8Array>,
    );
    await writeObject(storage, 'empty', new Uint8Array(0));
    expect(new TextDecoder().decode(await readObject(storage, 'a'))).toBe('hello world');
    expect(new TextDecoder().decode(await readObject(storage, 'a', { start: 6, end: 9 }))).toBe(
      'wor',
    );
    expect(new TextDecoder().decode(await readObject(storage, 'b'))).toBe('stream');
    expect((await readObject(storage, 'empty')).byteLength).toBe(0);
  });
  it('pass the size hint and options to the driver', async () => {
    const inner = memoryStorage();
    const seen: (WriteOptions | undefined)[] = [];
    const spy: Storage = {
      ...inner,
      write: (key, options) => {
        seen.push(options);
        return inner.write(key, options);
      },
    };
    await writeObject(spy, 'k', enc.encode('12345'), { ifAbsent: true });
    expect(seen).toEqual([{ size: 5, ifAbsent: true }]);
  });
  it('reject with ERR_STORAGE_EXISTS and ERR_STORAGE_NOT_FOUND', async () => {
    const storage = memoryStorage();
    await writeObject(storage, 'k', enc.encode('1'), { ifAbsent: true });
    await expect(
      writeObject(storage, 'k', enc.encode('2'), { ifAbsent: true }),
    ).rejects.toMatchObject({ code: 'ERR_STORAGE_EXISTS' });
    await expect(readObject(storage, 'missing')).rejects.toMatchObject({
      code: 'ERR_STORAGE_NOT_FOUND',
    });
  });
  it('concatenate multi-chunk reads in order', async () => {
    const storage = memoryStorage();
    const big = new Uint8Array(3 * 1024 * 1024 + 5).map((_, i) => i % 251);
    await writeObject(storage, 'big', big);
    const back = await readObject(storage, 'big');
    expect(back.byteLength).toBe(big.byteLength);
    expect(back.every((v, i) => v === i % 251)).toBe(true);
  });

  it('stop reading past maxBytes: the stream is cancelled after one chunk', async () => {
    const { storage, pulled, cancelled } = countingStorage(memoryStorage());
    const huge = 64 * 1024 * 1024;
    await writeObject(storage, 'huge', new Uint8Array(huge));
    await expect(readObject(storage, 'huge', undefined, { maxBytes: 1024 })).rejects.toMatchObject({
      code: 'ERR_STORAGE_TOO_LARGE',
      key: 'huge',
    });
    expect(pulled.get('huge')).toBeLessThanOrEqual(1024 * 1024); // one memory-driver chunk
    expect(cancelled.has('huge')).toBe(true);

    await writeObject(storage, 'ten', new Uint8Array(10));
    expect((await readObject(storage, 'ten', undefined, { maxBytes: 10 })).byteLength).toBe(10);
    await expect(readObject(storage, 'ten', undefined, { maxBytes: 9 })).rejects.toMatchObject({
      code: 'ERR_STORAGE_TOO_LARGE',
    });
    expect((await readObject(storage, 'ten', { start: 2 }, { maxBytes: 8 })).byteLength).toBe(8);
    await expect(readObject(storage, 'ten', undefined, { maxBytes: -1 })).rejects.toThrow(
      RangeError,
    );
  });
});
