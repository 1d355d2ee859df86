import { close, read } from 'node:fs';
import { promisify } from 'node:util';

/** Largest chunk a file read yields: one default segment, so an encryptor takes it whole. */
export const READ_CHUNK_SIZE = 1024 * 1024;
/** The longest range {@link FdReadableOptions.oneChunk} reads as one chunk. */
export const WHOLE_RANGE_MAX = 16 * 1024 * 1024;

const closeFd = promisify(close);
const readFd = (fd: number, buffer: Uint8Array, position: number): Promise<number> =>
  new Promise((resolve, reject) =>
    read(fd, buffer, 0, buffer.byteLength, position, (error, n) =>
      error ? reject(error) : resolve(n),
    ),
  );

/**
 * Closes the descriptor of a stream that was dropped neither read to its end nor cancelled, once
 * it is garbage-collected: a safety net, like the one Node gives a `FileHandle`.
 */
const dropped = new FinalizationRegistry<{ fd: number }>((held) => {
  if (held.fd >= 0) close(held.fd, () => {});
});

/** Options of {@link fdReadable}. */
export interface FdReadableOptions {
  /** First byte to read. Default 0. */
  start?: number;
  /** Stop before this byte (exclusive). Default: the end of the file. */
  end?: number;
  /**
   * The size the file is expected to have (from an earlier stat). The read that should reach it
   * asks for one byte more, so a short read proves the end: a small file costs one read. A file
   * that grew since is still read to its end (or to `end`).
   */
  sizeHint?: number;
  /**
   * Reads `[start, end)` as one chunk when it is at most {@link WHOLE_RANGE_MAX} bytes: a ranged
   * read whose reader wants the range whole (a blob of a pack) then costs one read and no
   * joining of pieces. Default false.
   */
  oneChunk?: boolean;
  /** Turns a failure of open, read or close into the error the stream reports. Default: as is. */
  mapError?: (error: unknown) => unknown;
}

/**
 * A web ReadableStream of a file's bytes, read with positional reads from a plain file
 * descriptor: no Node stream and no `FileHandle` in between, which matters when a backup opens
 * thousands of small files. Chunks are of up to {@link READ_CHUNK_SIZE} bytes (or the whole
 * range, see `oneChunk`), each in fresh
 * memory the consumer may keep (the unused tail of a short read is zeroed, since `chunk.buffer`
 * reaches it), with one chunk read ahead. The descriptor is closed at the end, on error and on
 * cancel. A short read of a regular file is its end.
 *
 * @param file - an open descriptor, which the stream then owns, or a function that opens the
 *   file at the stream's first pull (right after the stream is made, since one chunk is read
 *   ahead).
 *
 * @example
 * ```ts
 * import { openSync } from 'node:fs';
 * import { fdReadable } from '@sealstream/storage-local/fd';
 * let n = 0;
 * for await (const chunk of fdReadable(openSync('/etc/hostname', 'r'))) n += chunk.byteLength;
 * console.log(n);
 * ```
 */
export function fdReadable(
  file: number | (() => Promise<number>),
  options: FdReadableOptions = {},
): ReadableStream<Uint8Array> {
  const { end, sizeHint, mapError = (e: unknown) => e } = options;
  let position = options.start ?? 0;
  const whole = options.oneChunk === true && end !== undefined && end - position <= WHOLE_RANGE_MAX;
  // The open descriptor, -1 before it is opened and after it is closed; the registry holds this
  // object to close a dropped stream's descriptor.
  const held = { fd: typeof file === 'number' ? file : -1 };
  let opened = typeof file === 'number';
  let finished = false;
  const finish = async () => {
    finished = true;
    const f = held.fd;
    held.fd = -1;
    dropped.unregister(held);
    if (f >= 0) await closeFd(f);
  };
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          if (!opened) {
            opened = true;
            const fd = await (file as () => Promise<number>)();
            if (finished) {
              // Cancelled while opening.
              await closeFd(fd);
              return;
            }
            held.fd = fd;
          }
          let want = whole ? (end as number) - position : READ_CHUNK_SIZE;
          // Past the hint, the file grew: read whole chunks again.
          if (sizeHint !== undefined && position <= sizeHint)
            want = Math.min(want, sizeHint - position + 1);
          if (end !== undefined) want = Math.min(want, end - position);
          if (want <= 0) {
            await finish();
            controller.close();
            return;
          }
          const buffer = plain(Buffer.allocUnsafeSlow(want));
          const n = await readFd(held.fd, buffer, position);
          position += n;
          if (n > 0) controller.enqueue(n === want ? buffer : buffer.subarray(0, n));
          if (n < want) {
            buffer.fill(0, n);
            await finish();
            controller.close();
          }
        } catch (error) {
          await finish().catch(() => {});
          throw mapError(error);
        }
      },
      async cancel() {
        await finish();
      },
    },
    // One chunk of read-ahead: the next read runs while the consumer works on this one.
    { highWaterMark: 1 },
  );
  dropped.register(stream, held, held);
  return stream;
}

/** A plain Uint8Array over a Buffer's memory (consumers see the same type in every runtime). */
function plain(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}
