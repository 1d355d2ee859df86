import type { Readable } from 'node:stream';

/**
 * Wraps a Node `Readable` (an SDK download body) as a web `ReadableStream<Uint8Array>`, pulling
 * one chunk per read (backpressure) and passing any stream failure through `mapError`, so readers
 * see the driver's typed error. Cancelling the web stream destroys the Node stream (closing the
 * HTTP response).
 *
 * @example
 * ```ts
 * import { Readable } from 'node:stream';
 * import { nodeSource } from './nodeSource.ts';
 * const web = nodeSource(Readable.from([Buffer.from('hi')]), (e) => e);
 * for await (const chunk of web) console.log(chunk.byteLength); // 2
 * ```
 */
export function nodeSource(
  source: Readable,
  mapError: (error: unknown) => unknown,
): ReadableStream<Uint8Array> {
  const it = source[Symbol.asyncIterator]() as AsyncIterator<Uint8Array | string>;
  return new ReadableStream<Uint8Array>(
    {
      async pull(c) {
        try {
          const r = await it.next();
          if (r.done) {
            c.close();
            return;
          }
          const v = r.value;
          c.enqueue(
            typeof v === 'string'
              ? new TextEncoder().encode(v)
              : new Uint8Array(v.buffer, v.byteOffset, v.byteLength),
          );
        } catch (error) {
          c.error(mapError(error));
        }
      },
      cancel() {
        source.destroy();
      },
    },
    { highWaterMark: 0 },
  );
}
