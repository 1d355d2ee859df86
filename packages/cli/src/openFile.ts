import { open } from 'node:fs';
import { promisify } from 'node:util';
import { fdReadable } from '@sealstream/storage-local';

const openFd = promisify(open);

/**
 * Opens a file as a web ReadableStream of chunks of up to `READ_CHUNK_SIZE` (storage-local) bytes (fresh
 * memory each, one chunk read ahead), read with positional reads from a plain file descriptor by
 * {@link fdReadable}: a backup opens thousands of small files this way. The file is opened at the
 * stream's first pull, right after the stream is made.
 *
 * With `size` (from an earlier lstat) the last read asks for one byte more than expected: a short
 * read there is the end of the file, so a small file costs one open, one read and one close.
 * A file that grew since is still read to its end.
 *
 * @example
 * ```ts
 * import { openFile } from '@sealstream/cli';
 * let n = 0;
 * for await (const chunk of openFile('/etc/hostname')) n += chunk.byteLength;
 * console.log(n);
 * ```
 */
export function openFile(path: string, size?: number): ReadableStream<Uint8Array> {
  return fdReadable(() => openFd(path, 'r'), size === undefined ? {} : { sizeHint: size });
}
