import type { ReportTable } from './BenchSuite.ts';
import { formatBytes, formatSummary, formatValue } from './formatNumbers.ts';
import { pairedRatio } from './pairedRatio.ts';
import type { PairedResult } from './runPairedRounds.ts';
import { summarize } from './summarize.ts';

/**
 * One row per variant of a paired run: input size, MB/s as median (min–max) over the rounds,
 * and — when `baseline` names a variant of the run — the paired per-round ratio to it. When CPU
 * time was measured: CPU ÷ wall (cores kept busy) and the paired ratio of work per CPU-second
 * to the baseline (efficiency; steadier than wall time on a shared machine).
 *
 * @example
 * ```ts
 * import { runPairedRounds } from './runPairedRounds.ts';
 * import { throughputTable } from './throughputTable.ts';
 * const buf = new Uint8Array(1 << 20);
 * const result = await runPairedRounds(
 *   [
 *     { name: 'slice', bytes: buf.byteLength, run: () => void buf.slice() },
 *     { name: 'fill', bytes: buf.byteLength, run: () => void buf.fill(1) },
 *   ],
 *   { rounds: 3 },
 * );
 * const table = throughputTable('copy', result, 'slice');
 * console.assert(table.rows.length === 2 && table.rows[0]?.[3] === '1×');
 * ```
 */
export function throughputTable(
  title: string,
  result: PairedResult,
  baseline?: string,
): ReportTable {
  const columns = ['variant', 'input', 'MB/s median (min–max)'];
  if (baseline !== undefined) columns.push(`× ${baseline}, paired`);
  const withCpu = result.variants.every((v) => v.cpuMs !== undefined && v.bytes !== undefined);
  if (withCpu) {
    columns.push('CPU ÷ wall');
    if (baseline !== undefined) columns.push('× baseline per CPU-s');
  }
  const rows = result.variants.map((v) => {
    const row = [
      v.name,
      v.bytes === undefined ? '–' : formatBytes(v.bytes),
      v.mbpsSummary ? formatSummary(v.mbpsSummary) : `${formatSummary(v.msSummary)} ms`,
    ];
    if (baseline !== undefined) {
      const r = pairedRatio(result, v.name, baseline);
      row.push(v.name === baseline ? '1×' : formatSummary(r, '×'));
    }
    if (withCpu && v.cpuMs) {
      const cores = v.cpuMs.map((c, i) => c / (v.ms[i] as number));
      row.push(formatValue(summarize(cores).median));
      if (baseline !== undefined)
        row.push(formatSummary(pairedRatio(result, v.name, baseline, 'cpu'), '×'));
    }
    return row;
  });
  return { title: `${title} — ${result.rounds} paired rounds`, columns, rows };
}
