import { assertKey, assertListPrefix } from './assertKey.ts';
import { assertRange } from './assertRange.ts';
import { compareKeys } from './compareKeys.ts';
import type { ByteRange, ObjectInfo, Storage, WriteOptions } from './Storage.ts';
import { StorageError } from './StorageError.ts';

const CHUNK = 1024 * 1024;

/**
 * A {@link Storage} held in memory: for tests, browsers and examples. It follows the whole
 * contract (commit on close, atomic create-if-absent, nothing visible after an abort) and passes
 * the conformance suite. Objects live as long as the returned object.
 *
 * @param name shown as the URI in errors (default `memory:`)
 *
 * @example
 * ```ts
 * import { memoryStorage, readObject, writeObject } from '@sealstream/storage';
 * const storage = memoryStorage();
 * await writeObject(storage, 'a/b', new TextEncoder().encode('hi'), { ifAbsent: true });
 * console.log(new TextDecoder().decode(await readObject(storage, 'a/b'))); // hi
 * ```
 */
export function memoryStorage(name = 'memory:'): Storage {
  const objects = new Map<string, { data: Uint8Array; mtime: number }>();
  const err = (
    code: 'ERR_STORAGE_NOT_FOUND' | 'ERR_STORAGE_EXISTS',
    message: string,
    key: string,
  ) => new StorageError(code, message, { driver: 'memory', uri: name, key });

  return {
    driver: 'memory',
    redactedUri: name,
    capabilities: { atomicCreate: true },

    async write(key: string, options: WriteOptions = {}): Promise<WritableStream<Uint8Array>> {
      assertKey(key);
      const { signal, ifAbsent } = options;
      if (signal?.aborted) throw signal.reason;
      if (ifAbsent && objects.has(key))
        throw err('ERR_STORAGE_EXISTS', 'object already exists (ifAbsent)', key);
      const chunks: Uint8Array[] = [];
      let size = 0;
      let failed = false;
      return new WritableStream<Uint8Array>({
        start(controller) {
          signal?.addEventListener(
            'abort',
            () => {
              failed = true;
              controller.error(signal.reason);
            },
            { once: true },
          );
        },
        write(chunk) {
          if (!(chunk instanceof Uint8Array))
            throw new TypeError('memory storage accepts only Uint8Array chunks');
          chunks.push(chunk.slice());
          size += chunk.byteLength;
        },
        close() {
          if (failed) throw signal?.reason;
          if (ifAbsent && objects.has(key))
            throw err('ERR_STORAGE_EXISTS', 'object already exists (ifAbsent)', key);
          const data = new Uint8Array(size);
          let at = 0;
          for (const c of chunks) {
            data.set(c, at);
            at += c.byteLength;
          }
          objects.set(key, { data, mtime: Date.now() });
        },
        abort() {
          chunks.length = 0;
        },
      });
    },

    async read(key: string, range?: ByteRange): Promise<ReadableStream<Uint8Array>> {
      assertKey(key);
      assertRange(range);
      const object = objects.get(key);
      if (!object) throw err('ERR_STORAGE_NOT_FOUND', 'read: object not found', key);
      const end = Math.min(range?.end ?? object.data.byteLength, object.data.byteLength);
      let at = Math.min(range?.start ?? 0, end);
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          if (at >= end) return controller.close();
          const n = Math.min(CHUNK, end - at);
          controller.enqueue(object.data.slice(at, at + n));
          at += n;
        },
      });
    },

    async stat(key: string): Promise<ObjectInfo | undefined> {
      assertKey(key);
      const object = objects.get(key);
      return object ? { key, size: object.data.byteLength, mtime: object.mtime } : undefined;
    },

    async *list(prefix: string): AsyncIterable<ObjectInfo> {
      assertListPrefix(prefix);
      const keys = [...objects.keys()].filter((k) => k.startsWith(prefix)).sort(compareKeys);
      for (const key of keys) {
        const object = objects.get(key);
        if (object) yield { key, size: object.data.byteLength, mtime: object.mtime };
      }
    },

    async delete(key: string): Promise<void> {
      assertKey(key);
      objects.delete(key);
    },
  };
}
