/**
 * Runs every web-tier test file in Deno: bundles them with the vitest shim (bundleTests.ts),
 * writes the bundle to a temporary directory and runs it with the `deno` binary from npm
 * (`deno run --allow-env`: only the assertion library reads env, for colours). Exit code 1 on any failure,
 * or when there is nothing to run.
 *
 *   node --import tsx tests/runtimes/run-deno.ts [path-substring …]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { bundleTests } from './bundleTests.ts';
import { report } from './report.ts';
import type { TestResult } from './shim/vitest.ts';
import { printSkipped, REPO_ROOT, webTestFiles } from './testFiles.ts';

/** The deno binary installed by the `deno` npm package (its native optional dependency). */
export function denoBinary(): string {
  const require = createRequire(join(REPO_ROOT, 'tests/package.json'));
  return join(dirname(require.resolve('deno/package.json')), 'bin.cjs');
}

const start = Date.now();
const { files, skipped } = webTestFiles('deno', process.argv.slice(2));
printSkipped('deno', skipped);
if (files.length === 0) {
  console.error('[deno] no test files found: nothing ran, which counts as a failure');
  process.exit(1);
}
const code = await bundleTests('deno', files);
const dir = mkdtempSync(join(tmpdir(), 'sealstream-deno-'));
const bundle = join(dir, 'deno-tests.mjs');
writeFileSync(bundle, code);
const results: TestResult[] = [];
const exit = await new Promise<number>((resolve, reject) => {
  const child = spawn(
    process.execPath,
    [denoBinary(), 'run', '--no-lock', '--no-prompt', '--no-config', '--allow-env', bundle],
    {
      cwd: dir,
      env: { ...process.env, DENO_DIR: join(REPO_ROOT, '.deno-cache'), NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let buf = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => {
    buf += d;
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (line.startsWith('{"file":')) results.push(JSON.parse(line) as TestResult);
      else console.log(`[deno] ${line}`);
    }
  });
  child.on('error', reject);
  child.on('close', (c) => resolve(c ?? 1));
});
rmSync(dir, { recursive: true, force: true });
const tally = report('deno', results, Date.now() - start);
if (exit !== 0) console.error(`[deno] deno exited with code ${exit}`);
process.exit(exit !== 0 || tally.fail > 0 || tally.pass === 0 ? 1 : 0);
