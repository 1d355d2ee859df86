import { randomFillSync } from 'node:crypto';

const cache = new Map<number, Uint8Array>();

/**
 * `bytes` random bytes, generated once per size and process and then reused by every suite
 * and variant, so all of them time the same bytes.
 *
 * @example
 * ```ts
 * import { sharedInput } from './sharedInput.ts';
 * console.assert(sharedInput(1024) === sharedInput(1024) && sharedInput(1024).byteLength === 1024);
 * ```
 */
export function sharedInput(bytes: number): Uint8Array {
  if (!Number.isSafeInteger(bytes) || bytes < 0) {
    throw new RangeError(
      `Cannot make benchmark input as bytes must be a safe integer >= 0: received ${bytes}`,
    );
  }
  let input = cache.get(bytes);
  if (!input) {
    input = new Uint8Array(bytes);
    for (let offset = 0; offset < bytes; offset += 1 << 30) {
      randomFillSync(input, offset, Math.min(1 << 30, bytes - offset));
    }
    cache.set(bytes, input);
  }
  return input;
}

/** Drops the cached inputs (between suites that need the memory). */
export function releaseSharedInputs(): void {
  cache.clear();
}
