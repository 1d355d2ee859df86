import { open } from 'node:fs/promises';
import type { ByteRange } from '@sealstream/storage';
import { fsStorageError } from './fsStorageError.ts';

/** Size of each chunk a local read yields. */
export const READ_CHUNK_SIZE = 1024 * 1024;

/**
 * Opens a file and returns a ReadableStream of its bytes (or of `range`, clamped to the size),
 * in chunks of up to {@link READ_CHUNK_SIZE}, read with positional reads from one file handle.
 * The stream reads the file as it was when opened, even if it is replaced meanwhile.
 *
 * @throws {StorageError} `ERR_STORAGE_NOT_FOUND` when the file is missing or not a regular file
 *
 * @example
 * ```ts
 * import { openLocalReadable } from '@sealstream/storage-local';
 * const stream = await openLocalReadable('/etc/hostname', { start: 0, end: 4 }, 'file:///etc', 'hostname');
 * for await (const chunk of stream) console.log(chunk.byteLength);
 * ```
 */
export async function openLocalReadable(
  path: string,
  range: ByteRange | undefined,
  uri: string,
  key: string,
): Promise<ReadableStream<Uint8Array>> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    throw fsStorageError(e, uri, key, 'read');
  }
  let size: number;
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EISDIR' });
    size = st.size;
  } catch (e) {
    await handle.close().catch(() => {});
    throw fsStorageError(e, uri, key, 'read');
  }
  const end = Math.min(range?.end ?? size, size);
  let position = Math.min(range?.start ?? 0, end);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (position >= end) {
          await close();
          controller.close();
          return;
        }
        const want = Math.min(READ_CHUNK_SIZE, end - position);
        const buf = Buffer.allocUnsafeSlow(want);
        const { bytesRead } = await handle.read(buf, 0, want, position);
        if (bytesRead === 0) {
          await close();
          controller.close();
          return;
        }
        position += bytesRead;
        controller.enqueue(new Uint8Array(buf.buffer, buf.byteOffset, bytesRead));
      } catch (e) {
        await close().catch(() => {});
        throw fsStorageError(e, uri, key, 'read');
      }
    },
    async cancel() {
      await close();
    },
  });
}
