import type { ByteRange } from './Storage.ts';

/**
 * Guards a {@link ByteRange}: `start` a safe integer ≥ 0, `end` (when given) a safe integer ≥
 * `start`. Drivers call it at the door of `read`.
 *
 * @throws {RangeError} naming the bad bound
 *
 * @example
 * ```ts
 * import { assertRange } from '@sealstream/storage/driver';
 * assertRange({ start: 0, end: 10 }); // ok
 * try { assertRange({ start: 5, end: 2 }); } catch (e) { console.log((e as Error).message); }
 * ```
 */
export function assertRange(range: ByteRange | undefined): void {
  if (range === undefined) return;
  if (typeof range !== 'object' || range === null)
    throw new TypeError('Invalid byte range: expected { start, end? }');
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || start < 0) {
    throw new RangeError(
      `Invalid byte range: start must be an integer >= 0: received ${String(start)}`,
    );
  }
  if (end !== undefined && (!Number.isSafeInteger(end) || end < start)) {
    throw new RangeError(
      `Invalid byte range: end must be an integer >= start (${start}): received ${String(end)}`,
    );
  }
}
