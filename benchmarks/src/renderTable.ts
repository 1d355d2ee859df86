import type { ReportTable } from './BenchSuite.ts';

/**
 * A {@link ReportTable} as a GitHub-flavoured markdown table with padded columns, readable in a
 * terminal and pasteable into docs/BENCHMARKS.md. Columns after the first are right-aligned.
 *
 * @example
 * ```ts
 * import { renderTable } from './renderTable.ts';
 * const text = renderTable({ title: 'T', columns: ['case', 'MB/s'], rows: [['a', '12']] });
 * console.assert(text === '### T\n\n| case | MB/s |\n|---|---:|\n| a    |   12 |\n');
 * ```
 */
export function renderTable(table: ReportTable): string {
  const { title, columns, rows } = table;
  for (const row of rows) {
    if (row.length !== columns.length) {
      throw new RangeError(
        `Cannot render table "${title}": a row has ${row.length} cells, expected ${columns.length}`,
      );
    }
  }
  const widths = columns.map((c, i) =>
    Math.max(c.length, ...rows.map((r) => (r[i] as string).length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join(' | ')} |`;
  const head = line(columns);
  const rule = `|${columns.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`;
  return `### ${title}\n\n${[head, rule, ...rows.map(line)].join('\n')}\n`;
}
