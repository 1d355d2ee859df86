/// <reference types="node" />
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
 * import { nodeSource } from '@sealstream/storage/node';
 * const web = nodeSource(Readable.from([Buffer.from('hi')]), (e) => e);
 * for await (const chunk of web) console.log(chunk.byteLength); // 2
 * ```
 */
export function nodeSource(
  source: Readable,
  mapError: (error: unknown) => unknown,
  highWaterMark = 1024 * 1024,
): ReadableStream<Uint8Array> {
  return bridge(source, mapError, highWaterMark);
}

/**
 * Wraps a lazily-started Node `Readable` (an SDK download body) as a web
 * `ReadableStream<Uint8Array>` once its first bytes (or its end) arrive: a request that fails
 * before any data (missing object, bad range, no connection) rejects here with the raw SDK error,
 * instead of erroring the stream later. The stream reads ahead up to `highWaterMark` bytes
 * (default 1 MiB) and pauses the Node stream beyond that; later failures pass through `mapError`;
 * cancelling destroys the Node stream.
 *
 * @example
 * ```ts
 * import { Readable } from 'node:stream';
 * import { openNodeSource } from '@sealstream/storage/node';
 * const web = await openNodeSource(Readable.from([Buffer.from('hi')]), (e) => e);
 * for await (const chunk of web) console.log(chunk.byteLength); // 2
 * ```
 */
export function openNodeSource(
  source: Readable,
  mapError: (error: unknown) => unknown,
  highWaterMark = 1024 * 1024,
): Promise<ReadableStream<Uint8Array>> {
  return new Promise((resolve, reject) => {
    const stream = bridge(source, mapError, highWaterMark, (error) => {
      if (error === undefined) resolve(stream);
      else reject(error);
      return error !== undefined;
    });
  });
}

/**
 * The bridge both share. `settle`, when given, is told once about the first thing that happens
 * (data or the end: no argument; a failure: the error); returning true takes that failure
 * away from the stream.
 */
function bridge(
  source: Readable,
  mapError: (error: unknown) => unknown,
  highWaterMark: number,
  settle?: (error?: unknown) => boolean,
): ReadableStream<Uint8Array> {
  let done = false;
  let settled = settle === undefined;
  const first = (error?: unknown): boolean => {
    if (settled) return false;
    settled = true;
    return (settle as (error?: unknown) => boolean)(error);
  };
  return new ReadableStream<Uint8Array>(
    {
      start(c) {
        source.on('data', (chunk: Uint8Array | string) => {
          if (done) return;
          c.enqueue(bytes(chunk));
          first();
          if ((c.desiredSize ?? 0) <= 0) source.pause();
        });
        finished(source, (error) => {
          if (done) return;
          done = true;
          if (error) {
            if (!first(error)) c.error(mapError(error));
          } else {
            c.close();
            first();
          }
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
