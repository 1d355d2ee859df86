import type { Storage } from '../Storage.ts';

/**
 * Wraps a storage so a test can see how much of each object its reads pulled and which reads
 * were cancelled: nothing is read ahead (`highWaterMark` 0), so `pulled` counts exactly the
 * chunks the reader asked for.
 *
 * @example
 * ```ts
 * import { memoryStorage, readObject, writeObject } from '@sealstream/storage';
 * import { countingStorage } from '@sealstream/storage/testing';
 * const { storage, pulled } = countingStorage(memoryStorage());
 * await writeObject(storage, 'a', new Uint8Array(10));
 * await readObject(storage, 'a');
 * console.log(pulled.get('a')); // 10
 * ```
 */
export function countingStorage(inner: Storage): {
  storage: Storage;
  pulled: Map<string, number>;
  cancelled: Set<string>;
} {
  const pulled = new Map<string, number>();
  const cancelled = new Set<string>();
  const storage: Storage = {
    driver: inner.driver,
    redactedUri: inner.redactedUri,
    capabilities: inner.capabilities,
    write: (key, options) => inner.write(key, options),
    stat: (key) => inner.stat(key),
    list: (prefix) => inner.list(prefix),
    delete: (key) => inner.delete(key),
    async read(key, range) {
      const reader = (await inner.read(key, range)).getReader();
      return new ReadableStream<Uint8Array>(
        {
          async pull(controller) {
            const next = await reader.read();
            if (next.done) return controller.close();
            pulled.set(key, (pulled.get(key) ?? 0) + next.value.byteLength);
            controller.enqueue(next.value);
          },
          cancel(reason) {
            cancelled.add(key);
            return reader.cancel(reason);
          },
        },
        { highWaterMark: 0 },
      );
    },
  };
  return { storage, pulled, cancelled };
}
