import { isSealstreamError } from '@sealstream/streams';

/** A predicate for `expect(...).rejects.toSatisfy`: a SealstreamError with `code`. */
export function isStorageError(code: string): (e: unknown) => boolean {
  return (e: unknown) => isSealstreamError(e, code);
}

/** A deterministic pseudo-random generator (xorshift32); test data only, never for secrets. */
export function prng(seed: number): () => number {
  let s = (seed * 0x9e3779b1) ^ 0x5bd1e995 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
}

/** `size` deterministic pseudo-random bytes, different for each `seed`. */
export function testBytes(size: number, seed: number): Uint8Array {
  const next = prng(seed + 1);
  const words = new Uint32Array(Math.ceil(size / 4));
  for (let i = 0; i < words.length; i++) words[i] = next();
  return new Uint8Array(words.buffer, 0, size);
}

/** A stream of `data` cut into chunks of random sizes in `[minChunk, maxChunk]` (fresh copies). */
export function streamOf(
  data: Uint8Array,
  opts: { minChunk: number; maxChunk: number; seed: number },
): ReadableStream<Uint8Array> {
  const next = prng(opts.seed);
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= data.byteLength) {
        controller.close();
        return;
      }
      const n = opts.minChunk + (next() % (opts.maxChunk - opts.minChunk + 1));
      controller.enqueue(data.slice(at, at + n));
      at += n;
    },
  });
}

/** A stream that yields `chunks`, then errors with `error`. */
export function source(chunks: Uint8Array[], error: unknown): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[i++];
      if (chunk) controller.enqueue(chunk);
      else controller.error(error);
    },
  });
}

/** Writes `chunks` to `writable` and closes it, calling `afterFirst` once the first chunk is written. */
export async function sink(
  writable: WritableStream<Uint8Array>,
  chunks: Uint8Array[],
  afterFirst: () => void,
): Promise<void> {
  const writer = writable.getWriter();
  let first = true;
  for (const chunk of chunks) {
    await writer.write(chunk);
    if (first) afterFirst();
    first = false;
  }
  await writer.close();
}

/**
 * Compares two byte arrays fast (vitest's deep equality walks typed arrays element by element)
 * and returns `''` when equal, else a description of the first difference.
 */
export function bytesDiff(actual: Uint8Array, expected: Uint8Array): string {
  if (!(actual instanceof Uint8Array))
    return `expected a Uint8Array, received ${Object.prototype.toString.call(actual)}`;
  const n = Math.min(actual.byteLength, expected.byteLength);
  for (let i = 0; i < n; i++) {
    if (actual[i] !== expected[i])
      return `bytes differ at offset ${i} (of ${actual.byteLength} read, ${expected.byteLength} expected)`;
  }
  return actual.byteLength === expected.byteLength
    ? ''
    : `length ${actual.byteLength}, expected ${expected.byteLength}`;
}
