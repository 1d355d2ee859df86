import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TestResult } from './shim/vitest.ts';
import { REPO_ROOT } from './testFiles.ts';

/** The launcher of the deno binary installed by the `deno` npm package (tests/package.json). */
export function denoLauncher(): string {
  const require = createRequire(join(REPO_ROOT, 'tests/package.json'));
  return join(dirname(require.resolve('deno/package.json')), 'bin.cjs');
}

/** Output of one `deno run`. */
export interface DenoRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs an ES module (source text) with `deno run --allow-env` in a fresh temporary directory
 * and returns its output. `onLine` sees stdout line by line as it arrives; `permissions` adds
 * Deno permission flags (e.g. `--allow-read=/some/dir`).
 *
 * @example
 * ```ts
 * import { runModuleInDeno } from './runInDeno.ts';
 * const r = await runModuleInDeno('console.log(typeof Deno)');
 * console.log(r.stdout.trim()); // 'object'
 * ```
 */
export async function runModuleInDeno(
  code: string,
  args: readonly string[] = [],
  onLine?: (line: string) => void,
  permissions: readonly string[] = [],
): Promise<DenoRun> {
  const dir = mkdtempSync(join(tmpdir(), 'sealstream-deno-'));
  const file = join(dir, 'main.mjs');
  writeFileSync(file, code);
  try {
    return await new Promise<DenoRun>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          denoLauncher(),
          'run',
          '--no-lock',
          '--no-prompt',
          '--no-config',
          '--allow-env',
          ...permissions,
          file,
          ...args,
        ],
        {
          cwd: dir,
          env: { ...process.env, DENO_DIR: join(REPO_ROOT, '.deno-cache'), NO_COLOR: '1' },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      let stderr = '';
      let buf = '';
      child.stdout.setEncoding('utf8');
      child.stderr.setEncoding('utf8');
      child.stdout.on('data', (d: string) => {
        stdout += d;
        buf += d;
        for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
          onLine?.(buf.slice(0, i));
          buf = buf.slice(i + 1);
        }
      });
      child.stderr.on('data', (d: string) => {
        stderr += d;
      });
      child.on('error', reject);
      child.on('close', (c) => resolve({ exitCode: c ?? 1, stdout, stderr }));
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs a test bundle from `bundleTests('deno', …)` in Deno and collects its results. Lines that
 * are not results are passed to `log`.
 */
export async function runTestsInDeno(
  bundle: string,
  log: (line: string) => void = () => {},
): Promise<{ results: TestResult[]; run: DenoRun }> {
  const results: TestResult[] = [];
  const run = await runModuleInDeno(bundle, [], (line) => {
    if (line.startsWith('{"file":')) results.push(JSON.parse(line) as TestResult);
    else log(line);
  });
  return { results, run };
}
