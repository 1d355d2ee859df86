import { close, open, read } from 'node:fs';
import { promisify } from 'node:util';

/** Largest read: one default segment, so the encryptor takes each chunk whole. */
export const READ_CHUNK = 1 << 20;

const openFd = promisify(open);
const closeFd = promisify(close);
const readFd = (fd: number, buffer: Uint8Array, position: number): Promise<number> =>
  new Promise((resolve, reject) =>
    read(fd, buffer, 0, buffer.byteLength, position, (error, n) =>
      error ? reject(error) : resolve(n),
    ),
  );

/**
 * Opens a file as a web ReadableStream of chunks of up to {@link READ_CHUNK} bytes (fresh
 * memory each, so a consumer may keep them; one chunk is read ahead), read with positional reads from a plain file
 * descriptor: no Node stream and no `FileHandle` in between, which matters when a backup opens
 * thousands of small files.
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
  let fd: number | undefined;
  let position = 0;
  const finish = async () => {
    const f = fd;
    fd = -1;
    if (f !== undefined && f >= 0) await closeFd(f);
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          fd ??= await openFd(path, 'r');
          const expected = size === undefined ? READ_CHUNK : size - position + 1;
          const want = Math.min(READ_CHUNK, Math.max(1, expected));
          const buffer = plain(Buffer.allocUnsafeSlow(want));
          const n = await readFd(fd, buffer, position);
          position += n;
          if (n > 0) controller.enqueue(n === want ? buffer : buffer.subarray(0, n));
          if (n < want) {
            // Short read of a regular file: its end. The unused tail held whatever the allocator
            // left there; clear it, since `chunk.buffer` reaches it.
            buffer.fill(0, n);
            await finish();
            controller.close();
          }
        } catch (error) {
          await finish().catch(() => {});
          throw error;
        }
      },
      async cancel() {
        await finish();
      },
    },
    // One chunk of read-ahead: the next read runs while the consumer encrypts this one.
    { highWaterMark: 1 },
  );
}

/** A plain Uint8Array over a Buffer's memory (consumers see the same type in every runtime). */
function plain(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}
