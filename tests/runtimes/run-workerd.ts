/**
 * Runs every web-tier test file inside workerd (Cloudflare's Workers runtime) through Miniflare:
 * bundles them with the vitest shim (bundleTests.ts) into one Worker module, starts Miniflare on
 * 127.0.0.1 (no `nodejs_compat`: the web tier must not need it) and runs one file per request,
 * so module-scope code and every test run inside a request, as in production. Exit code 1 on any
 * failure, or when there is nothing to run.
 *
 *   node --import tsx tests/runtimes/run-workerd.ts [path-substring …]
 */
import { Miniflare } from 'miniflare';
import { bundleTests } from './bundleTests.ts';
import { report } from './report.ts';
import type { TestResult } from './shim/vitest.ts';
import { printSkipped, webTestFiles } from './testFiles.ts';

/** The compatibility date every workerd run uses (also in docs/RUNTIMES.md). */
export const COMPATIBILITY_DATE = '2025-01-01';

const start = Date.now();
const { files, skipped } = webTestFiles('workerd', process.argv.slice(2));
printSkipped('workerd', skipped);
if (files.length === 0) {
  console.error('[workerd] no test files found: nothing ran, which counts as a failure');
  process.exit(1);
}
const script = await bundleTests('workerd', files);
const mf = new Miniflare({
  host: '127.0.0.1',
  port: 0,
  modules: true,
  script,
  compatibilityDate: COMPATIBILITY_DATE,
});
const results: TestResult[] = [];
let crashed = false;
try {
  for (let i = 0; i < files.length; i++) {
    const res = await mf.dispatchFetch(`http://localhost/?file=${i}`);
    const text = await res.text();
    if (res.status !== 200) {
      crashed = true;
      results.push({
        file: files[i] ?? `#${i}`,
        name: '(worker)',
        status: 'fail',
        ms: 0,
        error: `HTTP ${res.status}: ${text.slice(0, 2000)}`,
      });
      continue;
    }
    results.push(...(JSON.parse(text) as TestResult[]));
  }
} finally {
  await mf.dispose();
}
const tally = report('workerd', results, Date.now() - start);
process.exit(crashed || tally.fail > 0 || tally.pass === 0 ? 1 : 0);
