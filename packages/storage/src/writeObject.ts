import type { Storage, WriteOptions } from './Storage.ts';

/**
 * Writes a whole object from bytes (or a stream) and resolves once it is committed; the bytes API
 * is the stream API applied to a one-chunk stream. With `{ ifAbsent: true }` it rejects with
 * `ERR_STORAGE_EXISTS` when the key exists, whichever step the driver detects it at.
 *
 * @example
 * ```ts
 * import { writeObject, readObject } from '@sealstream/storage';
 * import { localStorage } from '@sealstream/storage-local';
 * const storage = localStorage('/tmp/sealstream-example');
 * await writeObject(storage, 'hello.txt', new TextEncoder().encode('hello'));
 * console.log(new TextDecoder().decode(await readObject(storage, 'hello.txt'))); // hello
 * ```
 */
export async function writeObject(
  storage: Storage,
  key: string,
  data: Uint8Array | ReadableStream<Uint8Array>,
  options?: WriteOptions,
): Promise<void> {
  const sizeHint = data instanceof Uint8Array ? { size: data.byteLength } : {};
  const writable = await storage.write(key, { ...sizeHint, ...options });
  if (data instanceof Uint8Array) {
    const writer = writable.getWriter();
    try {
      if (data.byteLength > 0) await writer.write(data);
      await writer.close();
    } catch (e) {
      await writer.abort(e).catch(() => {});
      throw e;
    }
    return;
  }
  await data.pipeTo(writable);
}
