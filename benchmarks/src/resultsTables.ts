/**
 * `pnpm --filter @sealstream/benchmarks results [--all] [--write]` — the newest result of each
 * suite in `benchmarks/results/` as markdown: its first table, or all of them with `--all`. With
 * `--write`, replaces the part of docs/BENCHMARKS.md between `<!-- results:begin -->` and
 * `<!-- results:end -->` with that text.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import type { ReportTable } from './BenchSuite.ts';
import { renderTable } from './renderTable.ts';
import { RESULTS_DIR } from './writeResults.ts';

/** The fields of a results file (see run.ts) that the tables need. */
export interface SavedResult {
  readonly suite: string;
  readonly mode: 'full' | 'quick';
  readonly finishedAt: string;
  readonly machine: {
    readonly node: string;
    readonly cpuModel: string;
    readonly cpus: number;
    readonly loadavg: readonly number[];
    readonly loadavgAfter?: readonly number[];
  };
  readonly tables: readonly ReportTable[];
}

/**
 * Per suite, the newest full-mode result, or the newest quick one when the suite has no full
 * run; suites in alphabetical order.
 *
 * @example
 * ```ts
 * import { newestPerSuite, type SavedResult } from './resultsTables.ts';
 * const r = (suite: string, mode: 'full' | 'quick', finishedAt: string) =>
 *   ({ suite, mode, finishedAt }) as SavedResult;
 * const picked = newestPerSuite([r('b', 'quick', '2'), r('a', 'full', '1'), r('a', 'full', '3'), r('a', 'quick', '4')]);
 * console.assert(picked.map((p) => p.suite + p.finishedAt).join() === 'a3,b2');
 * ```
 */
export function newestPerSuite(results: readonly SavedResult[]): SavedResult[] {
  const rank = (r: SavedResult) => `${r.mode === 'full' ? 1 : 0}${r.finishedAt}`;
  const best = new Map<string, SavedResult>();
  for (const r of results) {
    const held = best.get(r.suite);
    if (held === undefined || rank(r) > rank(held)) best.set(r.suite, r);
  }
  return [...best.values()].sort((a, b) => a.suite.localeCompare(b.suite));
}

/**
 * One suite's result as markdown: a heading with its date, mode and machine, then its first
 * table (each suite reports its headline table first), or every table with `all`.
 */
export function renderResult(r: SavedResult, all = false): string {
  const m = r.machine;
  const load = `load average ${m.loadavg[0]}${m.loadavgAfter ? ` → ${m.loadavgAfter[0]}` : ''}`;
  const head =
    `### \`${r.suite}\` — ${r.finishedAt.slice(0, 16).replace('T', ' ')} UTC\n\n` +
    `${r.mode} mode; ${m.cpuModel} × ${m.cpus}, Node ${m.node}, ${load}.\n`;
  const tables = (all ? r.tables : r.tables.slice(0, 1)).map((t) =>
    renderTable(t).replace(/^### /, '#### '),
  );
  return [head, ...tables].join('\n');
}

async function main(): Promise<void> {
  const dir = RESULTS_DIR.pathname;
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json'));
  const results = await Promise.all(
    files.map(async (f) => JSON.parse(await readFile(`${dir}${f}`, 'utf8')) as SavedResult),
  );
  const all = process.argv.includes('--all');
  const text = newestPerSuite(results)
    .map((r) => renderResult(r, all))
    .join('\n');
  if (!process.argv.includes('--write')) {
    process.stdout.write(text);
    return;
  }
  const doc = new URL('../../docs/BENCHMARKS.md', import.meta.url);
  const [before, rest] = (await readFile(doc, 'utf8')).split('<!-- results:begin -->\n');
  const after = rest?.split('<!-- results:end -->')[1];
  if (before === undefined || after === undefined) {
    throw new Error('docs/BENCHMARKS.md has no <!-- results:begin --> … <!-- results:end --> part');
  }
  await writeFile(doc, `${before}<!-- results:begin -->\n${text}<!-- results:end -->${after}`);
  console.log(`docs/BENCHMARKS.md: ${results.length} files read, newest of each suite written`);
}

if (process.argv[1]?.endsWith('resultsTables.ts')) await main();
