/**
 * Starts an upload that consumes `body`; resolves once the object is committed (visible) and
 * rejects when the upload fails or `signal` aborts it.
 */
export type UploadStarter = (
  body: ReadableStream<Uint8Array>,
  signal: AbortSignal,
) => Promise<unknown>;

/**
 * Turns an upload that consumes a `ReadableStream` into the `WritableStream` the Storage contract
 * returns. Written chunks flow into the upload with backpressure (memory stays bounded by what the
 * upload buffers); `close()` resolves only once the upload is committed; `abort()`, `signal` or a
 * failing upload cancel it, and the driver's upload then leaves nothing visible. Every failure is
 * passed through `mapError` once, so the writer sees the driver's typed error.
 *
 * @param start begins the upload; receives the body stream and an abort signal
 * @param mapError turns an SDK error into the driver's typed error
 * @param signal optional caller signal (`WriteOptions.signal`)
 *
 * @example
 * ```ts
 * import { uploadSink } from '@sealstream/storage/driver';
 * let total = 0;
 * const sink = uploadSink(async (body) => {
 *   for await (const chunk of body) total += chunk.byteLength;
 * }, (e) => e);
 * const w = sink.getWriter();
 * await w.write(new Uint8Array(3));
 * await w.close();
 * console.log(total); // 3
 * ```
 */
export function uploadSink(
  start: UploadStarter,
  mapError: (error: unknown) => unknown,
  signal?: AbortSignal,
): WritableStream<Uint8Array> {
  const controller = new AbortController();
  const pipe = new TransformStream<Uint8Array, Uint8Array>();
  const writer = pipe.writable.getWriter();
  let mapped: unknown;
  const fail = (error: unknown): unknown => {
    mapped ??= mapError(error);
    return mapped;
  };
  const done = (async () => {
    try {
      await start(pipe.readable, controller.signal);
    } catch (error) {
      throw fail(signal?.aborted ? signal.reason : error);
    }
  })();
  // Settles only on failure, so `race` below stops waiting on a write the upload will never read.
  const failed = new Promise<never>((_, reject) => {
    done.catch((error: unknown) => {
      writer.abort(error).catch(() => {});
      reject(error);
    });
  });
  failed.catch(() => {});
  // A write can fail first with the raw reason the upload cancelled its body with: wait (briefly)
  // for the upload's own, typed, failure instead.
  const settled = async (error: unknown): Promise<never> => {
    const timeout = new Promise<unknown>((r) => {
      const timer: unknown = setTimeout(() => r(fail(error)), 5000);
      // Node: do not keep the process alive for this timer (browsers and workers have no unref).
      (timer as { unref?: () => void }).unref?.();
    });
    throw (
      mapped ??
      (await Promise.race([
        done.then(
          () => fail(error),
          (typed: unknown) => typed,
        ),
        timeout,
      ]))
    );
  };
  const cancel = async (reason: unknown): Promise<void> => {
    controller.abort(reason);
    await writer.abort(reason).catch(() => {});
    await done.catch(() => {});
  };
  return new WritableStream<Uint8Array>({
    start(c) {
      if (!signal) return;
      if (signal.aborted) {
        void cancel(signal.reason);
        throw signal.reason;
      }
      signal.addEventListener(
        'abort',
        () => {
          c.error(signal.reason);
          void cancel(signal.reason);
        },
        { once: true },
      );
    },
    async write(chunk) {
      if (!(chunk instanceof Uint8Array)) {
        const error = new TypeError(
          `Cannot write to storage: expected a Uint8Array chunk, received ${typeof chunk}`,
        );
        await cancel(error);
        throw error;
      }
      await Promise.race([writer.write(chunk), failed]).catch(settled);
    },
    async close() {
      await Promise.race([writer.close(), failed]).catch(settled);
      await done;
    },
    async abort(reason) {
      await cancel(reason);
    },
  });
}
