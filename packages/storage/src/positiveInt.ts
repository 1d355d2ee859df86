/**
 * A driver option that must be a positive safe integer (attempts, part sizes, concurrency):
 * returns `value`, or throws a `RangeError` naming the driver and the option.
 *
 * @example
 * ```ts
 * import { positiveInt } from '@sealstream/storage/driver';
 * const maxAttempts = positiveInt('XyzStorage', 'maxAttempts', undefined ?? 4); // 4
 * try { positiveInt('XyzStorage', 'partSize', 0); } catch (e) { console.log((e as Error).message); }
 * // Invalid XyzStorage option: partSize must be a positive integer, received 0
 * ```
 */
export function positiveInt(owner: string, name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(
      `Invalid ${owner} option: ${name} must be a positive integer, received ${value}`,
    );
  }
  return value;
}
