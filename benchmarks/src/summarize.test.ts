import { describe, expect, it } from 'vitest';
import { summarize } from './summarize.ts';

describe('summarize', () => {
  it('gives the median of odd and even counts, and the range', () => {
    expect(summarize([5, 1, 3])).toEqual({ median: 3, min: 1, max: 5, n: 3 });
    expect(summarize([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4, n: 4 });
    expect(summarize([7])).toEqual({ median: 7, min: 7, max: 7, n: 1 });
  });
  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    summarize(values);
    expect(values).toEqual([3, 1, 2]);
  });
  it('refuses empty and non-finite samples', () => {
    expect(() => summarize([])).toThrow(/empty/);
    expect(() => summarize([1, Number.NaN])).toThrow(/non-finite/);
  });
});
