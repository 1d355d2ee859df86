import type { ByteRange, Storage } from './Storage.ts';

/**
 * Reads a whole object (or a byte range of it) into memory. For small objects: manifests,
 * pointers, ENCRYPTION_INFO. Rejects with `ERR_STORAGE_NOT_FOUND` for a missing key.
 *
 * @example
 * ```ts
 * import { readObject, writeObject } from '@sealstream/storage';
 * import { localStorage } from '@sealstream/storage-local';
 * const storage = localStorage('/tmp/sealstream-example');
 * await writeObject(storage, 'abc', new TextEncoder().encode('abcdef'));
 * console.log(new TextDecoder().decode(await readObject(storage, 'abc', { start: 1, end: 3 }))); // bc
 * ```
 */
export async function readObject(
  storage: Storage,
  key: string,
  range?: ByteRange,
): Promise<Uint8Array> {
  const stream = await storage.read(key, range);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
    chunks.push(chunk);
    size += chunk.byteLength;
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
