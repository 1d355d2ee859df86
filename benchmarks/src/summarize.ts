/** Median and range of a sample: what every table cell shows. */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
}

/**
 * Median, minimum and maximum of a non-empty list of finite numbers. The median of an even
 * count is the mean of the two middle values.
 *
 * @example
 * ```ts
 * import { summarize } from './summarize.ts';
 * const s = summarize([3, 1, 2, 10]);
 * console.assert(s.median === 2.5 && s.min === 1 && s.max === 10 && s.n === 4);
 * ```
 */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new RangeError('Cannot summarize an empty sample');
  for (const v of values) {
    if (!Number.isFinite(v)) throw new RangeError(`Cannot summarize a non-finite value: ${v}`);
  }
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median =
    sorted.length % 2 === 1
      ? (sorted[mid] as number)
      : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return {
    median,
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
    n: sorted.length,
  };
}
