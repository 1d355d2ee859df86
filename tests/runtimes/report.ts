import type { TestResult } from './shim/vitest.ts';

/** Per-file tallies and a summary line, as the runners print them. */
export interface Tally {
  pass: number;
  fail: number;
  skip: number;
  todo: number;
}

/**
 * Prints one line per file, every failure in full, and a summary; returns the tally. A skipped
 * test is listed by name so nothing is skipped silently.
 *
 * @example
 * ```ts
 * import { report } from './report.ts';
 * const t = report('deno', [{ file: 'a.test.ts', name: 'adds', status: 'pass', ms: 1 }], 12);
 * console.log(t.pass); // 1
 * ```
 */
export function report(runtime: string, results: readonly TestResult[], ms: number): Tally {
  const byFile = new Map<string, TestResult[]>();
  for (const r of results) byFile.set(r.file, [...(byFile.get(r.file) ?? []), r]);
  const total: Tally = { pass: 0, fail: 0, skip: 0, todo: 0 };
  for (const [file, rs] of byFile) {
    const t: Tally = { pass: 0, fail: 0, skip: 0, todo: 0 };
    for (const r of rs) t[r.status]++;
    total.pass += t.pass;
    total.fail += t.fail;
    total.skip += t.skip;
    total.todo += t.todo;
    const mark = t.fail > 0 ? '✗' : '✓';
    console.log(
      `[${runtime}] ${mark} ${file}  ${t.pass} passed${t.fail ? `, ${t.fail} failed` : ''}${t.skip ? `, ${t.skip} skipped` : ''}${t.todo ? `, ${t.todo} todo` : ''}`,
    );
    for (const r of rs) {
      if (r.status === 'fail')
        console.log(`[${runtime}]     ✗ ${r.name}\n${indent(r.error ?? '')}`);
      if (r.status === 'skip') {
        const why = r.error ?? 'skipped by the test itself (it.skip / skipIf)';
        console.log(`[${runtime}]     - skipped: ${r.name} — ${why}`);
      }
    }
  }
  console.log(
    `[${runtime}] ${byFile.size} files: ${total.pass} passed, ${total.fail} failed, ${total.skip} skipped, ${total.todo} todo (${(ms / 1000).toFixed(1)} s)`,
  );
  return total;
}

function indent(s: string): string {
  return s
    .split('\n')
    .map((l) => `          ${l}`)
    .join('\n');
}
