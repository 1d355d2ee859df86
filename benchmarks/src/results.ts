/**
 * Where results go, and `pnpm --filter @sealstream/benchmarks results [--write]`: the newest
 * result of each case and shape in benchmarks/results/ (full runs rather than quick ones) as markdown,
 * its headline table under its date and machine; with `--write`, into docs/BENCHMARKS.md
 * between `<!-- results:begin -->` and `<!-- results:end -->`.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { markdownTable, type Table } from './markdownTable.ts';

const DIR = fileURLToPath(new URL('../results/', import.meta.url));
const DOC = new URL('../../docs/BENCHMARKS.md', import.meta.url);

/** The part of a JSON result the docs show. */
export interface SavedResult {
  readonly case: string;
  readonly quick: boolean;
  readonly finishedAt: string;
  readonly machine: string;
  readonly tables: readonly Table[];
}

/** Writes `result` (and whatever else it holds) to results/<case>-<UTC time>.json; returns the path. */
export async function writeResult(result: SavedResult & Record<string, unknown>): Promise<string> {
  await mkdir(DIR, { recursive: true });
  const path = `${DIR}${result.case}-${result.finishedAt.replace(/:/g, '-').replace(/\.\d+Z$/, 'Z')}.json`;
  await writeFile(path, `${JSON.stringify(result, null, 2)}\n`);
  return path;
}

/** What a result measured, apart from how many rounds: its headline table's title before " — ". */
const shapeOf = (r: SavedResult) => (r.tables[0]?.title ?? '').split(' — ')[0];

/**
 * The results the docs show: of each case, its full runs if it has any (else its quick runs), the
 * newest of each shape (a case run on different trees, say 100,000 small files and 872 MiB, shows
 * both), sorted by case name, then newest first.
 *
 * @example
 * ```ts
 * import { newestPerCase, type SavedResult } from './results.ts';
 * const r = (c: string, quick: boolean, finishedAt: string, title = 'x') =>
 *   ({ case: c, quick, finishedAt, tables: [{ title }] }) as unknown as SavedResult;
 * const picked = newestPerCase([
 *   r('a', false, '1'), r('a', true, '3'), r('a', false, '2'), r('a', false, '0', 'y'), r('b', true, '1'),
 * ]);
 * console.assert(picked.map((p) => p.case + p.finishedAt).join() === 'a2,a0,b1');
 * ```
 */
export function newestPerCase(results: readonly SavedResult[]): SavedResult[] {
  const full = new Set(results.filter((r) => !r.quick).map((r) => r.case));
  const best = new Map<string, SavedResult>();
  for (const r of results) {
    if (r.quick && full.has(r.case)) continue;
    const key = `${r.case}\u0000${shapeOf(r)}`;
    const held = best.get(key);
    if (!held || r.finishedAt > held.finishedAt) best.set(key, r);
  }
  return [...best.values()].sort(
    (a, b) => a.case.localeCompare(b.case) || b.finishedAt.localeCompare(a.finishedAt),
  );
}

async function main(): Promise<void> {
  const files = (await readdir(DIR)).filter((f) => f.endsWith('.json'));
  const results = await Promise.all(
    files.map(async (f) => JSON.parse(await readFile(DIR + f, 'utf8')) as SavedResult),
  );
  const text = newestPerCase(results)
    .map((r) => {
      const when = `${r.finishedAt.slice(0, 16).replace('T', ' ')} UTC`;
      const table = r.tables[0]
        ? markdownTable(r.tables[0]).replace(/^### /, '#### ')
        : '(no table)\n';
      return `### \`${r.case}\` — ${when}\n\n${r.quick ? 'quick' : 'full'} run; ${r.machine}.\n\n${table}`;
    })
    .join('\n');
  if (!process.argv.includes('--write')) return void process.stdout.write(text);
  const [head, rest] = (await readFile(DOC, 'utf8')).split('<!-- results:begin -->\n');
  const tail = rest?.split('<!-- results:end -->')[1];
  if (head === undefined || tail === undefined)
    throw new Error('docs/BENCHMARKS.md has no <!-- results:begin --> … <!-- results:end --> part');
  await writeFile(DOC, `${head}<!-- results:begin -->\n${text}<!-- results:end -->${tail}`);
  console.log(`docs/BENCHMARKS.md: the newest of ${files.length} results per case written`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
