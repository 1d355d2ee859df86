import { concatBytes } from './concatBytes.ts';

/**
 * Reads a byte stream to its end and returns everything it produced as one array. Memory is
 * O(stream size): use it for tests, small objects and manifests, not for data files.
 *
 * @param readable - a stream of `Uint8Array` chunks; it is locked and consumed.
 * @param options.maxBytes - reject with `RangeError` (and cancel the stream) once more than this
 *   many bytes arrive. Default: unlimited.
 *
 * @example
 * ```ts
 * import { collect, fromBytes } from '@sealstream/streams';
 * const bytes = await collect(fromBytes(new Uint8Array([1, 2, 3]), 1));
 * console.assert(bytes.join() === '1,2,3');
 * ```
 */
export async function collect(
  readable: ReadableStream<Uint8Array>,
  options: { maxBytes?: number } = {},
): Promise<Uint8Array<ArrayBuffer>> {
  if (!(readable instanceof ReadableStream)) {
    throw new TypeError('collect: readable must be a ReadableStream');
  }
  const max = options.maxBytes ?? Number.POSITIVE_INFINITY;
  const parts: Uint8Array[] = [];
  let total = 0;
  const reader = readable.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!(value instanceof Uint8Array)) {
        throw new TypeError('collect: the stream produced a chunk that is not a Uint8Array');
      }
      total += value.length;
      if (total > max) {
        const error = new RangeError(`collect: stream exceeds maxBytes (${max})`);
        await reader.cancel(error).catch(() => {});
        throw error;
      }
      parts.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  return concatBytes(...parts);
}
