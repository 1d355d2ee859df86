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
    let done = false;
    let opened = false;
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const stream = new ReadableStream<Uint8Array>(
      {
        start(c) {
          controller = c;
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
    const open = () => {
      if (opened) return;
      opened = true;
      resolve(stream);
    };
    source.on('data', (chunk: Uint8Array | string) => {
      if (done) return;
      controller.enqueue(bytes(chunk));
      open();
      if ((controller.desiredSize ?? 0) <= 0) source.pause();
    });
    finished(source, (error) => {
      if (done) return;
      done = true;
      if (error && !opened) {
        opened = true;
        reject(error);
      } else if (error) {
        controller.error(mapError(error));
      } else {
        controller.close();
        open();
      }
    });
  });
}
