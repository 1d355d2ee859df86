import type { Readable } from 'node:stream';

/**
 * Wraps a lazily-started Node `Readable` (an SDK download body) as a web
 * `ReadableStream<Uint8Array>`, after reading its first chunk: so a failed request (missing object,
 * bad range, no connection) rejects here, with the raw SDK error, instead of erroring the stream
 * later. Later failures pass through `mapError`; cancelling the web stream destroys the Node one.
 *
 * @example
 * ```ts
 * import { Readable } from 'node:stream';
 * import { openNodeSource } from './nodeSource.ts';
 * const web = await openNodeSource(Readable.from([Buffer.from('hi')]), (e) => e);
 * for await (const chunk of web) console.log(chunk.byteLength); // 2
 * ```
 */
export async function openNodeSource(
  source: Readable,
  mapError: (error: unknown) => unknown,
): Promise<ReadableStream<Uint8Array>> {
  const it = source[Symbol.asyncIterator]() as AsyncIterator<Uint8Array | string>;
  const bytes = (v: Uint8Array | string) =>
    typeof v === 'string'
      ? new TextEncoder().encode(v)
      : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  const first = await it.next();
  return new ReadableStream<Uint8Array>(
    {
      start(c) {
        if (first.done) c.close();
        else c.enqueue(bytes(first.value));
      },
      async pull(c) {
        try {
          const r = await it.next();
          if (r.done) c.close();
          else c.enqueue(bytes(r.value));
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
