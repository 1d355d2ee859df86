import type { PairedResult, VariantResult } from './runPairedRounds.ts';
import { type Summary, summarize } from './summarize.ts';

/** The ratio of two variants' throughputs, round by round, and its summary. */
export interface PairedRatio extends Summary {
  readonly of: string;
  readonly to: string;
  /** `throughput(of) / throughput(to)` for each timed round. */
  readonly perRound: readonly number[];
}

/**
 * Throughput of variant `of` divided by throughput of variant `to`, taken within each round
 * (paired), then summarised. Throughput is bytes per millisecond, so variants that process
 * different amounts of input (e.g. the slow noble engine on a small input) still compare; for
 * variants without `bytes` the ratio is `time(to) / time(of)`. With `basis: 'cpu'` the times are
 * the process CPU times: the ratio of work per CPU-second (efficiency), which other processes on
 * the machine disturb far less than wall time.
 *
 * @example
 * ```ts
 * import { pairedRatio } from './pairedRatio.ts';
 * import { summarize } from './summarize.ts';
 * const v = (name: string, ms: number[]) =>
 *   ({ name, bytes: 1e6, ms, mbps: undefined, msSummary: summarize(ms), mbpsSummary: undefined });
 * const result = { rounds: 2, loadBeforeRound: [], variants: [v('a', [10, 20]), v('b', [20, 20])] };
 * const r = pairedRatio(result, 'a', 'b');
 * console.assert(r.perRound[0] === 2 && r.perRound[1] === 1 && r.median === 1.5);
 * ```
 */
export function pairedRatio(
  result: PairedResult,
  of: string,
  to: string,
  basis: 'wall' | 'cpu' = 'wall',
): PairedRatio {
  const a = find(result, of);
  const b = find(result, to);
  const timesA = basis === 'wall' ? a.ms : a.cpuMs;
  const timesB = basis === 'wall' ? b.ms : b.cpuMs;
  if (!timesA || !timesB)
    throw new RangeError(`Cannot compare ${of} with ${to} by CPU time: not measured`);
  if ((a.bytes === undefined) !== (b.bytes === undefined)) {
    throw new RangeError(`Cannot compare ${of} with ${to}: only one of them counts bytes`);
  }
  const perRound = timesA.map((msA, i) => {
    const msB = timesB[i] as number;
    return a.bytes === undefined || b.bytes === undefined
      ? msB / msA
      : a.bytes / msA / (b.bytes / msB);
  });
  return { of, to, perRound, ...summarize(perRound) };
}

function find(result: PairedResult, name: string): VariantResult {
  const v = result.variants.find((x) => x.name === name);
  if (!v) {
    const known = result.variants.map((x) => x.name).join(', ');
    throw new RangeError(`No variant named "${name}" in this run (have: ${known})`);
  }
  return v;
}
