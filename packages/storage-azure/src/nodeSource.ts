import { finished, type Readable } from 'node:stream';

const bytes = (v: Uint8Array | string): Uint8Array =>
  typeof v === 'string'
    ? new TextEncoder().encode(v)
    : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);

/**
 * Wraps a Node `Readable` (an SDK download body) as a web `ReadableStream<Uint8Array>` that reads
 * ahead up to `highWaterMark` bytes (default 1 MiB) and pauses the Node stream beyond that
 * (backpressure). A failure or premature end passes through `mapError`, so readers see the
 * driver's typed error. Cancelling the web stream destroys the Node one (closing the response).
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
  highWaterMark = 1024 * 1024,
): ReadableStream<Uint8Array> {
  let done = false;
  return new ReadableStream<Uint8Array>(
    {
      start(c) {
        source.on('data', (chunk: Uint8Array | string) => {
          if (done) return;
          c.enqueue(bytes(chunk));
          if ((c.desiredSize ?? 0) <= 0) source.pause();
        });
        finished(source, (error) => {
          if (done) return;
          done = true;
          if (error) c.error(mapError(error));
          else c.close();
        });
      },
      pull() {
        source.resume();
      },
      cancel() {
        done = true;
        source.destroy();
      },
    },
    { highWaterMark, size: (chunk) => chunk.byteLength },
  );
}
