import type fc from 'fast-check';

// Read through globalThis: the fuzz targets also run in Chromium and workerd, which have no `process`.
const env =
  (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};

/**
 * The fast-check parameters of a fuzz target (docs/FUZZING.md): a fixed seed (13) and `runs`
 * cases; SEALSTREAM_FUZZ_RUNS, SEALSTREAM_FUZZ_SEED and SEALSTREAM_FUZZ_PATH run longer or replay
 * a failure.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(fc.string(), (s) => expect(typeof s).toBe('string')), fuzz(1000));
 * ```
 */
export function fuzz<T>(runs: number): fc.Parameters<T> {
  return {
    numRuns: Number(env.SEALSTREAM_FUZZ_RUNS) || runs,
    seed: Number(env.SEALSTREAM_FUZZ_SEED) || 13,
    ...(env.SEALSTREAM_FUZZ_PATH ? { path: env.SEALSTREAM_FUZZ_PATH } : {}),
  };
}
