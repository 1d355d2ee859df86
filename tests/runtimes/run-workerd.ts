/**
 * Runs every web-tier test file inside workerd (Cloudflare's Workers runtime) through Miniflare:
 * bundles them with the vitest shim (bundleTests.ts) into one Worker module, starts it on
 * 127.0.0.1 without `nodejs_compat` (the web tier must not need it) and runs one file per
 * request. Exit code 1 on any failure, or when nothing ran.
 *
 *   node --import tsx tests/runtimes/run-workerd.ts [path-substring …]
 */
import { bundleTests } from './bundleTests.ts';
import { report } from './report.ts';
import { runTestsInWorkerd } from './runInWorkerd.ts';
import { printSkipped, webTestFiles } from './testFiles.ts';

const start = Date.now();
const { files, skipped } = webTestFiles('workerd', process.argv.slice(2));
printSkipped('workerd', skipped);
if (files.length === 0) {
  console.error('[workerd] no test files found: nothing ran, which counts as a failure');
  process.exit(1);
}
const results = await runTestsInWorkerd(await bundleTests('workerd', files), files);
const tally = report('workerd', results, Date.now() - start);
process.exit(tally.fail > 0 || tally.pass === 0 ? 1 : 0);
