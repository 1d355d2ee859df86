import { close, constants, fstat, open } from 'node:fs';
import { promisify } from 'node:util';
import type { ByteRange } from '@sealstream/storage';
import { fdReadable } from './fdReadable.ts';
import { fsStorageError } from './fsStorageError.ts';

const openFd = promisify(open);
const fstatFd = promisify(fstat);
const closeFd = promisify(close);

/**
 * Opens a file and returns a ReadableStream of its bytes (or of `range`, clamped to the size),
 * read by {@link fdReadable} from the descriptor opened here. The stream reads the file as it was
 * when opened, even if it is replaced meanwhile.
 *
 * @throws {StorageError} `ERR_STORAGE_NOT_FOUND` when the file is missing or not a regular file
 *   (a directory, a FIFO or a device: opened without blocking, then refused)
 *
 * @example
 * ```ts
 * import { openLocalReadable } from './localReadable.ts';
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
  const toStorageError = (e: unknown) => fsStorageError(e, uri, key, 'read');
  let fd: number;
  try {
    // Non-blocking: opening a FIFO put in an object's place must not hang (it is refused below).
    fd = await openFd(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw toStorageError(e);
  }
  let size: number;
  try {
    const st = await fstatFd(fd);
    if (!st.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EISDIR' });
    size = st.size;
  } catch (e) {
    await closeFd(fd).catch(() => {});
    throw toStorageError(e);
  }
  const end = Math.min(range?.end ?? size, size);
  const start = Math.min(range?.start ?? 0, end);
  // A ranged read (a blob of a pack) comes as one chunk; a whole object is streamed.
  return fdReadable(fd, {
    start,
    end,
    sizeHint: size,
    oneChunk: range !== undefined,
    mapError: toStorageError,
  });
}
