import { memoryStorage, type Storage } from '@sealstream/storage';
import { collect } from '@sealstream/streams';
import { describe, expect, it } from 'vitest';
import { backup } from './backup.ts';
import { readRange } from './readRange.ts';
import { testKeys } from './testing/testkit.ts';

/** Counts the ciphertext bytes read from storage. */
function counting(inner: Storage): Storage & { bytesRead: () => number } {
  let n = 0;
  return Object.assign(Object.create(inner) as Storage, {
    async read(key: string, range?: { start: number; end?: number }) {
      const s = await inner.read(key, range);
      return s.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(c, ctl) {
            n += c.byteLength;
            ctl.enqueue(c);
          },
        }),
      );
    },
    bytesRead: () => n,
  });
}

describe('readRange', () => {
  it('returns exactly [start, end) and reads only the covering chunks', async () => {
    const inner = memoryStorage();
    const { a } = testKeys();
    const chunker = { min: 4096, avg: 8192, max: 16384 };
    const segment = chunker.max;
    const bytes = new Uint8Array(64 * segment + 123);
    for (let i = 0; i < bytes.length; i += 65536)
      crypto.getRandomValues(bytes.subarray(i, i + 65536));
    await backup({
      collection: inner,
      keys: [a],
      chunker,
      entries: [{ name: 'big', type: 'stream', open: () => new Blob([bytes]).stream() }],
    });
    for (const [start, end] of [
      [0, 10],
      [segment - 1, segment + 1],
      [10 * segment + 5, 13 * segment],
      [bytes.length - 50, bytes.length],
      [bytes.length - 50, bytes.length + 1000],
    ] as const) {
      const storage = counting(inner);
      const got = await collect(
        await readRange({ collection: storage, keys: [a], object: 'big', start, end }),
      );
      expect(got).toEqual(bytes.subarray(start, Math.min(end, bytes.length)));
      // Chunks are at most `max` long: the covering ones span the range plus at most one
      // chunk on each side. Metadata (ENCRYPTION_INFO, snapshot, the tree, the pack index's
      // tail) is small; the data read stays far below the object's size.
      const covering = Math.min(end, bytes.length) - start + 2 * segment;
      const metadata = 16384;
      expect(storage.bytesRead()).toBeLessThan(covering + 1024 + metadata);
    }
    await expect(
      readRange({ collection: inner, keys: [a], object: 'nope', start: 0 }),
    ).rejects.toMatchObject({ code: 'ERR_BACKUP_NOT_FOUND' });
  });
});
