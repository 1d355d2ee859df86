import { close, closeSync, constants, fstat, fstatSync, open, openSync, readSync } from 'node:fs';
import { promisify } from 'node:util';
import { SMALL_FILE_BYTES } from '@sealstream/backup';
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
 * import { openFile } from '@sealstream/fs';
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

/**
 * Reads a file of at most {@link SMALL_FILE_BYTES} (by its listed `size`) whole, with synchronous
 * calls: one open, one fstat, one read and one close, checked as {@link openFile} checks. A
 * synchronous call on a local file takes microseconds where an asynchronous one costs tens of
 * them in dispatch, which is most of a small file's cost (docs/decisions/0012-synchronous-file-system-calls.md).
 * A larger file, or one that grew past {@link SMALL_FILE_BYTES} since it was listed, is read
 * as a stream by {@link openFile}.
 */
export function readSmallFile(
  path: string,
  size: number,
  identity?: FileIdentity,
): Uint8Array | ReadableStream<Uint8Array> {
  if (size > SMALL_FILE_BYTES) return openFile(path, size, identity);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'EMLINK') throw changed(path, 'it is now a symlink', e);
    throw e;
  }
  try {
    checkOpened(path, fstatSync(fd), identity);
    // One byte more than listed: a short read of a regular file is its end (read(2) returns
    // fewer bytes than asked only there), so a file of its listed size costs one read.
    const buffer = new Uint8Array(size + 1);
    const got = readSync(fd, buffer, 0, buffer.length, 0);
    if (got <= size) return buffer.subarray(0, got);
  } finally {
    closeSync(fd);
  }
  // It grew since it was listed: read it as a stream, to its end.
  return openFile(path, undefined, identity);
}

function checkOpened(
  path: string,
  st: { isFile(): boolean; dev: number; ino: number },
  identity: FileIdentity | undefined,
): void {
  if (!st.isFile()) throw changed(path, 'it is no longer a regular file');
  if (identity && (st.dev !== identity.dev || st.ino !== identity.ino))
    throw changed(path, 'it was replaced by another file');
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
    checkOpened(path, await fstatFd(fd), identity);
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
