import { mbPerSecond, median, type PairedResult, pairedRatio } from './pairedRounds.ts';

/** A table of a report: printed as markdown, kept in the JSON result. */
export interface Table {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/**
 * A table as padded GitHub markdown, readable in a terminal and pasteable into docs. Columns
 * after the first are right-aligned.
 *
 * @example
 * ```ts
 * import { markdownTable } from './markdownTable.ts';
 * const text = markdownTable({ title: 'T', columns: ['case', 'MB/s'], rows: [['a', '12']] });
 * console.assert(text === '### T\n\n| case | MB/s |\n|---|---:|\n| a    |   12 |\n');
 * ```
 */
export function markdownTable({ title, columns, rows: cells }: Table): string {
  const rows = cells.map((r) => r.map((cell) => cell.replaceAll('|', '\\|')));
  const width = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (cells: readonly string[]) =>
    `| ${columns.map((_, i) => (i === 0 ? (cells[i] ?? '').padEnd(width[i] ?? 0) : (cells[i] ?? '').padStart(width[i] ?? 0))).join(' | ')} |`;
  const rule = `|${columns.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`;
  return `### ${title}\n\n${[line(columns), rule, ...rows.map(line)].join('\n')}\n`;
}

/** 3 significant digits below 100, whole numbers above: `0.912`, `15.3`, `1761`. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return '–';
  return Math.abs(v) >= 100 ? Math.round(v).toString() : Number(v.toPrecision(3)).toString();
}

/** `median (min–max)` of a sample, with a unit after the median. */
export function formatRange(values: readonly number[], unit = ''): string {
  const m = `${formatNumber(median(values))}${unit}`;
  if (values.length < 2) return m;
  return `${m} (${formatNumber(Math.min(...values))}–${formatNumber(Math.max(...values))})`;
}

/**
 * The report of a paired run: one row per `[contender, baseline]` pair, with the contender's
 * speed, its ratio to the baseline in every round, and the median of those ratios. The median of
 * per-round ratios is the figure to quote; the per-round list shows how steady it was.
 *
 * @example
 * ```ts
 * import { pairedTable } from './markdownTable.ts';
 * const result = { rounds: 2, contenders: [{ name: 'a', bytes: 1e6, ms: [10, 40] }, { name: 'b', bytes: 1e6, ms: [20, 80] }] };
 * console.assert(pairedTable('T', result, [['a', 'b']]).rows[0]?.at(-1) === '2×');
 * ```
 */
export function pairedTable(
  title: string,
  result: PairedResult,
  pairs: readonly (readonly [of: string, to: string])[],
): Table {
  // One baseline for all rows: named once, in the column, instead of on every row.
  const one = pairs.every(([, to]) => to === pairs[0]?.[1]) ? pairs[0]?.[1] : undefined;
  const rows = pairs.map(([of, to]) => {
    const c = result.contenders.find((x) => x.name === of);
    const speed = !c
      ? '–'
      : c.bytes === undefined
        ? formatRange(c.ms, ' ms')
        : formatRange(mbPerSecond(c), ' MB/s');
    const ratios = pairedRatio(result, of, to);
    const row = [
      of,
      speed,
      ratios.map(formatNumber).join(' · '),
      `${formatNumber(median(ratios))}×`,
    ];
    if (one === undefined) row.splice(1, 0, to);
    return row;
  });
  const columns = ['contender', 'speed, median (min–max)', 'ratio per round', 'median ratio'];
  if (one === undefined) columns.splice(1, 0, 'baseline');
  else columns[2] = `× ${one}, per round`;
  return { title: `${title} — ${result.rounds} paired rounds`, columns, rows };
}

/** Every contender of a run paired with one baseline. */
export function against(result: PairedResult, baseline: string): [string, string][] {
  return result.contenders.map((c) => [c.name, baseline]);
}
