/**
 * A `WritableStream` that collects what is written (up to `limit` bytes) and, on close, hands the
 * whole body to `put` as one request. For conditional creates on S3, where `If-None-Match: *` is
 * honoured only by a single PutObject (Ceph RGW, and the only atomic way on AWS). Writing more
 * than `limit` bytes errors the stream with `tooLarge()`, sending nothing; so does an abort.
 *
 * @example
 * ```ts
 * import { bufferedPutSink } from './bufferedPutSink.ts';
 * let sent = 0;
 * const sink = bufferedPutSink(16, async (body) => { sent = body.byteLength; }, (e) => e, () => new Error('too big'));
 * const w = sink.getWriter();
 * await w.write(new Uint8Array(10));
 * await w.close();
 * console.log(sent); // 10
 * ```
 */
export function bufferedPutSink(
  limit: number,
  put: (body: Uint8Array, signal: AbortSignal) => Promise<unknown>,
  mapError: (error: unknown) => unknown,
  tooLarge: () => unknown,
  signal?: AbortSignal,
): WritableStream<Uint8Array> {
  const controller = new AbortController();
  let chunks: Uint8Array[] = [];
  let size = 0;
  return new WritableStream<Uint8Array>({
    start(c) {
      if (!signal) return;
      if (signal.aborted) throw signal.reason;
      signal.addEventListener(
        'abort',
        () => {
          chunks = [];
          controller.abort(signal.reason);
          c.error(signal.reason);
        },
        { once: true },
      );
    },
    write(chunk) {
      if (!(chunk instanceof Uint8Array)) {
        throw new TypeError(
          `Cannot write to storage: expected a Uint8Array chunk, received ${typeof chunk}`,
        );
      }
      size += chunk.byteLength;
      if (size > limit) {
        chunks = [];
        throw tooLarge();
      }
      chunks.push(chunk.slice());
    },
    async close() {
      const body = new Uint8Array(size);
      let at = 0;
      for (const c of chunks) {
        body.set(c, at);
        at += c.byteLength;
      }
      chunks = [];
      try {
        await put(body, controller.signal);
      } catch (error) {
        throw mapError(signal?.aborted ? signal.reason : error);
      }
    },
    abort(reason) {
      chunks = [];
      controller.abort(reason);
    },
  });
}
