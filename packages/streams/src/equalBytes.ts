/**
 * Compares two byte arrays in time that depends only on their lengths, never on where they
 * differ. Use it for tags, commitments, check values and anything derived from a secret.
 *
 * @returns true when both arrays have the same length and the same bytes.
 *
 * @example
 * ```ts
 * import { equalBytes } from '@sealstream/streams';
 * console.assert(equalBytes(new Uint8Array([1, 2]), new Uint8Array([1, 2])));
 * console.assert(!equalBytes(new Uint8Array([1, 2]), new Uint8Array([1, 3])));
 * ```
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array)) {
    throw new TypeError('equalBytes: both arguments must be Uint8Array');
  }
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}
