import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What one run of an outside tool cost: wall milliseconds and peak RSS in bytes (0: unknown). */
export interface ToolCost {
  readonly ms: number;
  readonly peakRss: number;
}

const GNU_TIME = '/usr/bin/time';

/**
 * Runs `script` with `bash -o pipefail -c` (so a pipeline fails when any part fails), paths
 * passed in `env`, and returns its wall time, start-up included, and its peak RSS from GNU
 * time's `%M` (the largest process of the pipeline) when /usr/bin/time exists. Rejects with the
 * script's stderr when it fails.
 *
 * @example
 * ```ts
 * import { runTool } from './runTool.ts';
 * const cost = await runTool('tar -cf - -C "$DIR" . | wc -c', { DIR: '/tmp' });
 * console.log(cost.ms, cost.peakRss);
 * ```
 */
export async function runTool(script: string, env: Record<string, string> = {}): Promise<ToolCost> {
  const scratch = await mkdtemp(join(tmpdir(), 'sealstream-bench-time-'));
  const timeFile = join(scratch, 'maxrss');
  const bash = ['bash', '-o', 'pipefail', '-c', script];
  const argv = existsSync(GNU_TIME) ? [GNU_TIME, '-f', '%M', '-o', timeFile, ...bash] : bash;
  try {
    const started = performance.now();
    await new Promise<void>((resolve, reject) => {
      const child = spawn(argv[0] as string, argv.slice(1), {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => {
        stderr += d;
      });
      child.on('error', reject);
      child.on('close', (code) =>
        code === 0
          ? resolve()
          : reject(new Error(`${script} exited with ${code}: ${stderr.trim()}`)),
      );
    });
    const ms = performance.now() - started;
    const kib = existsSync(timeFile)
      ? Number((await readFile(timeFile, 'utf8')).trim().split('\n').at(-1))
      : 0;
    return { ms, peakRss: kib * 1024 };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The first line `command --version` (or `args`) prints, or undefined when it is not installed. */
export function toolVersion(command: string, args = ['--version']): Promise<string | undefined> {
  return new Promise((resolve) =>
    execFile(command, args, (err, stdout) =>
      resolve(err ? undefined : stdout.trim().split('\n')[0]),
    ),
  );
}
