import type { ByteRange, Storage } from './Storage.ts';
import { StorageError } from './StorageError.ts';

/** Options of {@link readObject}. */
export interface ReadObjectOptions {
  /**
   * Most bytes accepted. Reading stops (the stream is cancelled) as soon as more arrive, with
   * `ERR_STORAGE_TOO_LARGE`: a hostile object costs about `maxBytes` plus one chunk, not its size.
   */
  maxBytes?: number;
}

/**
 * Reads a whole object (or a byte range of it) into memory. For small objects: manifests,
 * pointers, ENCRYPTION_INFO — give them a `maxBytes` bound. Rejects with `ERR_STORAGE_NOT_FOUND`
 * for a missing key and `ERR_STORAGE_TOO_LARGE` past `maxBytes`.
 *
 * @example
 * ```ts
 * import { readObject, writeObject } from '@sealstream/storage';
 * import { localStorage } from '@sealstream/storage-local';
 * const storage = localStorage('/tmp/sealstream-example');
 * await writeObject(storage, 'abc', new TextEncoder().encode('abcdef'));
 * console.log(new TextDecoder().decode(await readObject(storage, 'abc', { start: 1, end: 3 }))); // bc
 * await readObject(storage, 'abc', undefined, { maxBytes: 4 }).catch((e) => console.log(e.code)); // ERR_STORAGE_TOO_LARGE
 * ```
 */
export async function readObject(
  storage: Storage,
  key: string,
  range?: ByteRange,
  options: ReadObjectOptions = {},
): Promise<Uint8Array> {
  const { maxBytes } = options;
  if (maxBytes !== undefined && (!Number.isSafeInteger(maxBytes) || maxBytes < 0))
    throw new RangeError(
      `Cannot read ${key} as maxBytes must be an integer >= 0: received ${maxBytes}`,
    );
  const reader = (await storage.read(key, range)).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const next = await reader.read();
    if (next.done) break;
    chunks.push(next.value);
    size += next.value.byteLength;
    if (maxBytes !== undefined && size > maxBytes) {
      chunks.length = 0;
      await reader.cancel().catch(() => {});
      throw new StorageError(
        'ERR_STORAGE_TOO_LARGE',
        `read: larger than ${maxBytes} bytes; stopped reading`,
        { driver: storage.driver, uri: storage.redactedUri, key },
      );
    }
  }
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
