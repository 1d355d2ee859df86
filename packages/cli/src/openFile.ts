import { close, constants, fstat, open } from 'node:fs';
import { promisify } from 'node:util';
import { fdReadable } from '@sealstream/storage-local/fd';
import { SealstreamError } from '@sealstream/streams';

const openFd = promisify(open);
const fstatFd = promisify(fstat);
const closeFd = promisify(close);

/** The identity of a file as it was listed (from `lstat`): what {@link openFile} must find. */
export interface FileIdentity {
  dev: number;
  ino: number;
}

/**
 * Opens a file as a web ReadableStream of chunks of up to `READ_CHUNK_SIZE` (storage-local) bytes (fresh
 * memory each, one chunk read ahead), read with positional reads from a plain file descriptor by
 * {@link fdReadable}: a backup opens thousands of small files this way. The file is opened at the
 * stream's first pull, right after the stream is made.
 *
 * The file is opened with `O_NOFOLLOW | O_NONBLOCK` and checked on the open descriptor: it must be
 * a regular file and, with `identity` (from the walk's lstat), the same device and inode. A file
 * swapped since it was listed — for a symlink, a FIFO, a device or another file — is not read:
 * the stream fails with `ERR_CLI_SOURCE_CHANGED`, and opening never blocks.
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
export function openFile(
  path: string,
  size?: number,
  identity?: FileIdentity,
): ReadableStream<Uint8Array> {
  return fdReadable(
    () => openChecked(path, identity),
    size === undefined ? {} : { sizeHint: size },
  );
}

async function openChecked(path: string, identity: FileIdentity | undefined): Promise<number> {
  let fd: number;
  try {
    fd = await openFd(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    // O_NOFOLLOW on a symlink: ELOOP (EMLINK on some BSDs).
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'EMLINK') throw changed(path, 'it is now a symlink', e);
    throw e;
  }
  try {
    const st = await fstatFd(fd);
    if (!st.isFile()) throw changed(path, 'it is no longer a regular file');
    if (identity && (st.dev !== identity.dev || st.ino !== identity.ino))
      throw changed(path, 'it was replaced by another file');
    return fd;
  } catch (e) {
    await closeFd(fd).catch(() => {});
    throw e;
  }
}

function changed(path: string, why: string, cause?: unknown): SealstreamError {
  return new SealstreamError(
    'ERR_CLI_SOURCE_CHANGED',
    `${JSON.stringify(path)} changed since it was listed (${why}); not read`,
    cause === undefined ? undefined : { cause },
  );
}
