import type { ReportTable } from './BenchSuite.ts';
import { formatSummary } from './formatNumbers.ts';
import { type PairedRatio, pairedRatio } from './pairedRatio.ts';
import type { PairedResult } from './runPairedRounds.ts';

/** A paired comparison to report, with an optional goal (the ratio must be ≥ goal). */
export interface Comparison {
  readonly label: string;
  readonly result: PairedResult;
  readonly of: string;
  readonly to: string;
  readonly goal?: number;
}

/** A comparison once measured: the paired ratio and whether its median meets the goal. */
export interface ComparisonOutcome {
  readonly label: string;
  readonly ratio: PairedRatio;
  /** The same comparison in work per CPU-second, when CPU time was measured for both. */
  readonly cpuRatio: PairedRatio | undefined;
  readonly goal: number | undefined;
  readonly met: boolean | undefined;
}

/**
 * Measures each comparison (paired per round) and tabulates it beside its goal. A goal is judged
 * on the median of the wall-clock ratio; the table also shows the range, so a goal met only in
 * some rounds is visible, and the ratio of work per CPU-second for context.
 * Nothing fails: benchmarks report.
 *
 * @example
 * ```ts
 * import { goalTable } from './goalTable.ts';
 * import { runPairedRounds } from './runPairedRounds.ts';
 * const buf = new Uint8Array(1 << 20);
 * const result = await runPairedRounds(
 *   [
 *     { name: 'a', bytes: buf.byteLength, run: () => void buf.slice() },
 *     { name: 'b', bytes: buf.byteLength, run: () => void buf.fill(1) },
 *   ],
 *   { rounds: 3 },
 * );
 * const { table, outcomes } = goalTable('Goals', [{ label: 'a / b', result, of: 'a', to: 'b', goal: 0 }]);
 * console.assert(table.rows.length === 1 && outcomes[0]?.met === true);
 * ```
 */
export function goalTable(
  title: string,
  comparisons: readonly Comparison[],
): { table: ReportTable; outcomes: ComparisonOutcome[] } {
  const outcomes = comparisons.map((c) => {
    const ratio = pairedRatio(c.result, c.of, c.to);
    const measured = (name: string) =>
      c.result.variants.find((v) => v.name === name)?.cpuMs !== undefined;
    const cpuRatio =
      measured(c.of) && measured(c.to) ? pairedRatio(c.result, c.of, c.to, 'cpu') : undefined;
    return {
      label: c.label,
      ratio,
      cpuRatio,
      goal: c.goal,
      met: c.goal === undefined ? undefined : ratio.median >= c.goal,
    };
  });
  const rows = outcomes.map((o) => [
    o.label,
    formatSummary(o.ratio, '×'),
    o.goal === undefined ? '–' : `≥ ${o.goal}×`,
    o.met === undefined ? '–' : o.met ? 'yes' : 'NO',
    o.cpuRatio ? formatSummary(o.cpuRatio, '×') : '–',
  ]);
  return {
    table: {
      title,
      columns: [
        'comparison',
        'paired ratio, median (min–max)',
        'goal',
        'met',
        'per CPU-s (context)',
      ],
      rows,
    },
    outcomes,
  };
}
