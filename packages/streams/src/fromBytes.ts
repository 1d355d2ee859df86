/**
 * A `ReadableStream` that yields `bytes` in chunks of `chunkSize` (the last may be shorter).
 * Chunks are views into `bytes`, not copies. Empty input gives a stream with no chunks.
 *
 * @param bytes - the data.
 * @param chunkSize - positive integer; default: the whole array as one chunk.
 *
 * @example
 * ```ts
 * import { collect, fromBytes } from '@sealstream/streams';
 * const out = await collect(fromBytes(new Uint8Array(10), 4));
 * console.assert(out.length === 10);
 * ```
 */
export function fromBytes(bytes: Uint8Array, chunkSize?: number): ReadableStream<Uint8Array> {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('fromBytes: bytes must be a Uint8Array');
  const size = chunkSize ?? Math.max(1, bytes.length);
  if (!Number.isSafeInteger(size) || size < 1) {
    throw new RangeError(`fromBytes: chunkSize must be a positive integer, received ${chunkSize}`);
  }
  let offset = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (offset >= bytes.length) {
          controller.close();
          return;
        }
        const end = Math.min(bytes.length, offset + size);
        controller.enqueue(bytes.subarray(offset, end));
        offset = end;
      },
    },
    { highWaterMark: 0 },
  );
}
