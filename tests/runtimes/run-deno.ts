/**
 * Runs every web-tier test file in Deno: bundles them with the vitest shim (bundleTests.ts) and
 * runs the bundle with the `deno` binary from npm (`deno run --allow-env`: only the assertion
 * library reads the environment, for colours). Exit code 1 on any failure, or when nothing ran.
 *
 *   node --import tsx tests/runtimes/run-deno.ts [path-substring …]
 */
import { bundleTests } from './bundleTests.ts';
import { report } from './report.ts';
import { runTestsInDeno } from './runInDeno.ts';
import { printSkipped, webTestFiles } from './testFiles.ts';

const start = Date.now();
const { files, skipped } = webTestFiles('deno', process.argv.slice(2));
printSkipped('deno', skipped);
if (files.length === 0) {
  console.error('[deno] no test files found: nothing ran, which counts as a failure');
  process.exit(1);
}
const { results, run } = await runTestsInDeno(await bundleTests('deno', files), (l) =>
  console.log(`[deno] ${l}`),
);
if (run.stderr) process.stderr.write(run.stderr);
const tally = report('deno', results, Date.now() - start);
if (run.exitCode !== 0) console.error(`[deno] deno exited with code ${run.exitCode}`);
process.exit(run.exitCode !== 0 || tally.fail > 0 || tally.pass === 0 ? 1 : 0);
