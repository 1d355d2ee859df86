/** Options of {@link byteMeter}. */
export interface ByteMeterOptions {
  /** Minimum milliseconds between two progress calls (the final call is always made). Default 250. */
  intervalMs?: number;
}

/** A pass-through byte stream that counts what flows through it. */
export interface ByteMeterStream extends TransformStream<Uint8Array, Uint8Array> {
  /** Bytes that have passed so far. */
  readonly bytes: number;
}

/**
 * A pass-through `TransformStream` that counts bytes and reports progress. `onProgress(bytes)`
 * is called at most once per `intervalMs` while data flows, and once more with the final total
 * when the stream ends. Chunks are passed on untouched (same object, no copy).
 *
 * @param onProgress - receives the number of bytes seen so far; exceptions it throws error the stream.
 * @param options - see {@link ByteMeterOptions}.
 *
 * @example
 * ```ts
 * import { byteMeter, collect, fromBytes } from '@sealstream/streams';
 * let last = 0;
 * const meter = byteMeter((n) => { last = n; });
 * await collect(fromBytes(new Uint8Array(1000), 100).pipeThrough(meter));
 * console.assert(last === 1000 && meter.bytes === 1000);
 * ```
 */
export function byteMeter(
  onProgress?: (bytes: number) => void,
  options: ByteMeterOptions = {},
): ByteMeterStream {
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new TypeError('Cannot construct byteMeter as onProgress must be a function');
  }
  const interval = options.intervalMs ?? 250;
  if (!Number.isFinite(interval) || interval < 0) {
    throw new RangeError(
      `Cannot construct byteMeter as intervalMs must be >= 0: received ${interval}`,
    );
  }
  let bytes = 0;
  let lastCall = Number.NEGATIVE_INFINITY;
  const stream = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      if (!(chunk instanceof Uint8Array))
        throw new TypeError('byteMeter: every chunk must be a Uint8Array');
      bytes += chunk.length;
      controller.enqueue(chunk);
      if (onProgress !== undefined) {
        const now = Date.now();
        if (now - lastCall >= interval) {
          lastCall = now;
          onProgress(bytes);
        }
      }
    },
    flush() {
      onProgress?.(bytes);
    },
  });
  return Object.defineProperty(stream, 'bytes', {
    get: () => bytes,
    enumerable: true,
  }) as ByteMeterStream;
}
