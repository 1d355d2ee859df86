import { memoryStorage, type Storage, writeObject } from '@sealstream/storage';
import { describe, expect, it } from 'vitest';
import type { BlobLocation } from './BlobIndex.ts';
import { PackRangeCache, WINDOW_BYTES, WINDOWED_BLOB_BYTES } from './PackRangeCache.ts';

/** A storage that counts ranged reads. */
function counting(inner: Storage): { storage: Storage; reads: () => number } {
  let n = 0;
  const storage = new Proxy(inner, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (prop === 'read' && typeof v === 'function')
        return (...args: unknown[]) => {
          n++;
          return v.apply(target, args);
        };
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return { storage, reads: () => n };
}

describe('PackRangeCache', () => {
  it('serves small blobs of one window from one read, large ones exactly, bytes always right', async () => {
    const inner = memoryStorage();
    const pack = new Uint8Array(3 * WINDOW_BYTES).map((_, i) => (i * 31) & 0xff);
    await writeObject(inner, 'p', pack);
    const { storage, reads } = counting(inner);
    const cache = new PackRangeCache();
    cache.windowed = true;
    const at = (offset: number, sealedLength: number): BlobLocation => ({
      pack: 'p',
      kind: 'data',
      offset,
      sealedLength,
      plainLength: 0,
    });
    const blobs = [at(10, 100), at(5000, 300), at(WINDOW_BYTES - 50, 100), at(70_000, 16)];
    const got = await Promise.all(blobs.map((b) => cache.read(storage, b, pack.length)));
    for (const [i, b] of blobs.entries())
      expect(got[i]).toEqual(pack.subarray(b.offset, b.offset + b.sealedLength));
    expect(reads()).toBeLessThanOrEqual(3);
    const exact = new PackRangeCache();
    const first = reads();
    await exact.read(storage, at(10, 100), pack.length);
    await exact.read(storage, at(20, 100), pack.length);
    expect(reads()).toBe(first + 2);
    const before = reads();
    expect(await cache.read(storage, at(20, 5), pack.length)).toEqual(pack.subarray(20, 25));
    expect(reads()).toBe(before);
    const large = at(WINDOW_BYTES, WINDOWED_BLOB_BYTES + 1);
    expect(await cache.read(storage, large, pack.length)).toEqual(
      pack.subarray(large.offset, large.offset + large.sealedLength),
    );
    // A window never reaches past where the pack's blobs end.
    expect(await cache.read(storage, at(2 * WINDOW_BYTES, 10), 2 * WINDOW_BYTES + 10)).toEqual(
      pack.subarray(2 * WINDOW_BYTES, 2 * WINDOW_BYTES + 10),
    );
  });

  it('forgets a window whose read failed', async () => {
    const cache = new PackRangeCache();
    cache.windowed = true;
    const storage = memoryStorage();
    const at: BlobLocation = {
      pack: 'missing',
      kind: 'data',
      offset: 0,
      sealedLength: 10,
      plainLength: 0,
    };
    await expect(cache.read(storage, at, 100)).rejects.toThrow();
    await writeObject(storage, 'missing', new Uint8Array(100).fill(7));
    expect(await cache.read(storage, at, 100)).toEqual(new Uint8Array(10).fill(7));
  });
});
