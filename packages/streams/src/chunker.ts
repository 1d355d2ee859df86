/**
 * Re-chunks a byte stream into chunks of exactly `size` bytes; only the last chunk may be
 * shorter (and an empty input gives no chunk at all).
 *
 * Chunks are taken over, not copied: a producer must not reuse a buffer after enqueueing it.
 * Aligned input is never copied: a chunk that arrives while nothing is pending is sliced into
 * `size`-byte views of itself. Bytes are copied only to join pieces that straddle a boundary.
 *
 * @param size - the chunk size in bytes, a positive safe integer.
 *
 * @example
 * ```ts
 * import { chunker, collect, fromBytes } from '@sealstream/streams';
 * const sizes: number[] = [];
 * await fromBytes(new Uint8Array(10), 3)
 *   .pipeThrough(chunker(4))
 *   .pipeTo(new WritableStream({ write: (c) => void sizes.push(c.length) }));
 * console.assert(sizes.join() === '4,4,2');
 * ```
 */
export function chunker(size: number): TransformStream<Uint8Array, Uint8Array> {
  if (!Number.isSafeInteger(size) || size < 1) {
    throw new RangeError(
      `Cannot construct chunker as size must be a positive integer: received ${size}`,
    );
  }
  let pending: Uint8Array[] = [];
  let pendingLength = 0;

  const join = (): Uint8Array => {
    if (pending.length === 1) return pending[0] as Uint8Array;
    const out = new Uint8Array(pendingLength);
    let o = 0;
    for (const p of pending) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  };

  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      if (!(chunk instanceof Uint8Array)) {
        throw new TypeError('chunker: every chunk must be a Uint8Array');
      }
      let offset = 0;
      if (pendingLength > 0) {
        const take = Math.min(size - pendingLength, chunk.length);
        pending.push(chunk.subarray(0, take));
        pendingLength += take;
        offset = take;
        if (pendingLength < size) return;
        controller.enqueue(join());
        pending = [];
        pendingLength = 0;
      }
      while (chunk.length - offset >= size) {
        controller.enqueue(chunk.subarray(offset, offset + size));
        offset += size;
      }
      if (offset < chunk.length) {
        pending.push(chunk.subarray(offset));
        pendingLength += chunk.length - offset;
      }
    },
    flush(controller) {
      if (pendingLength > 0) controller.enqueue(join());
      pending = [];
      pendingLength = 0;
    },
  });
}
