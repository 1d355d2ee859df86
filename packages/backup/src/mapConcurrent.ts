/**
 * Runs `fn` over the items of `source` with at most `limit` calls in flight, pulling items
 * lazily (memory is O(limit), not O(items)). On the first failure it stops pulling, waits for
 * the calls in flight and rethrows that failure.
 */
export async function mapConcurrent<T>(
  source: AsyncIterable<T> | Iterable<T>,
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  const it =
    Symbol.asyncIterator in source
      ? (source as AsyncIterable<T>)[Symbol.asyncIterator]()
      : (source as Iterable<T>)[Symbol.iterator]();
  let failed = false;
  let failure: unknown;
  let pulling: Promise<unknown> = Promise.resolve();
  const next = async (): Promise<IteratorResult<T>> => {
    // Serialise pulls: async iterators must not be called concurrently.
    const p = pulling.then(() => it.next());
    pulling = p.catch(() => undefined);
    return p;
  };
  const worker = async () => {
    while (!failed) {
      const r = await next();
      if (r.done) return;
      try {
        await fn(r.value);
      } catch (e) {
        if (!failed) {
          failed = true;
          failure = e;
        }
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, limit) }, () =>
    worker().catch((e) => {
      if (!failed) {
        failed = true;
        failure = e;
      }
    }),
  );
  await Promise.all(workers);
  if (failed) {
    await (it as { return?: () => unknown }).return?.();
    throw failure;
  }
}
