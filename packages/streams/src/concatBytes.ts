/**
 * Concatenates byte arrays into one new `Uint8Array`. With a single argument the result is still
 * a fresh copy, so the caller may keep mutating its input.
 *
 * @param parts - the arrays to join, in order.
 * @returns a new array of length `sum(parts[i].length)`.
 *
 * @example
 * ```ts
 * import { concatBytes } from '@sealstream/streams';
 * const joined = concatBytes(new Uint8Array([1, 2]), new Uint8Array([3]));
 * console.assert(joined.join() === '1,2,3');
 * ```
 */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  let length = 0;
  for (const [i, part] of parts.entries()) {
    if (!(part instanceof Uint8Array)) {
      throw new TypeError(
        `concatBytes: argument ${i} must be a Uint8Array, received ${describe(part)}`,
      );
    }
    length += part.length;
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** A short, secret-free description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an instance of ${value.constructor?.name ?? 'Object'}`;
  return typeof value;
}
