import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What one timed process did: wall milliseconds and its peak RSS in bytes. */
export interface ProcessCost {
  ms: number;
  peakRss: number;
}

/** What to print in the restic column when restic is not on PATH. */
export const RESTIC_MISSING = 'restic not installed: apt-get install restic';

/** restic's version line (`restic 0.14.0 compiled with …`), or undefined when it is not on PATH. */
export function resticVersion(): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('restic', ['version'], (err, stdout) =>
      resolve(err ? undefined : stdout.trim().split('\n')[0]),
    );
  });
}

/** VmHWM of a live process in bytes (0 when it is gone or /proc is missing). */
function highWaterOf(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

const GNU_TIME = '/usr/bin/time';

/**
 * Runs `command args` and returns its wall time (spawn to exit, start-up included) and peak RSS:
 * GNU time's `%M` (the kernel's maxrss of the child alone) when /usr/bin/time exists, otherwise
 * the VmHWM of /proc/<pid>/status polled every 5 ms. Rejects with the command's stderr when it
 * fails.
 */
export async function timedProcess(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<ProcessCost> {
  const scratch = await mkdtemp(join(tmpdir(), 'sealstream-bench-time-'));
  const timeFile = join(scratch, 'maxrss');
  const viaTime = existsSync(GNU_TIME);
  const [file, argv] = viaTime
    ? [GNU_TIME, ['-f', '%M', '-o', timeFile, command, ...args]]
    : [command, [...args]];
  try {
    return await new Promise<ProcessCost>((resolve, reject) => {
      const started = performance.now();
      const child = spawn(file, argv, { env, stdio: ['ignore', 'ignore', 'pipe'] });
      let peak = 0;
      const poll = viaTime
        ? undefined
        : setInterval(() => {
            if (child.pid !== undefined) peak = Math.max(peak, highWaterOf(child.pid));
          }, 5);
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      child.on('error', (e) => {
        if (poll) clearInterval(poll);
        reject(e);
      });
      child.on('close', (code) => {
        const ms = performance.now() - started;
        if (poll) clearInterval(poll);
        if (code !== 0) {
          reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${stderr.trim()}`));
          return;
        }
        if (!viaTime) {
          resolve({ ms, peakRss: peak });
          return;
        }
        readFile(timeFile, 'utf8').then(
          (text) => resolve({ ms, peakRss: Number(text.trim().split('\n').pop()) * 1024 }),
          reject,
        );
      });
    });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** A local restic repository driven through the restic command (password from RESTIC_PASSWORD). */
export class ResticRepo {
  readonly #repo: string;
  readonly #env: NodeJS.ProcessEnv;

  constructor(repo: string, cacheDir: string) {
    this.#repo = repo;
    this.#env = {
      ...process.env,
      RESTIC_PASSWORD: 'sealstream-bench',
      RESTIC_CACHE_DIR: cacheDir,
    };
  }

  /** `restic init` (untimed). */
  async init(): Promise<void> {
    await timedProcess('restic', ['-r', this.#repo, 'init', '--quiet'], this.#env);
  }

  /** `restic backup --quiet <tree>`: a full backup the first time, then one with a parent. */
  backup(tree: string): Promise<ProcessCost> {
    return timedProcess('restic', ['-r', this.#repo, 'backup', '--quiet', tree], this.#env);
  }

  /** `restic restore latest --target <to>`. */
  restore(to: string): Promise<ProcessCost> {
    return timedProcess(
      'restic',
      ['-r', this.#repo, 'restore', 'latest', '--quiet', '--target', to],
      this.#env,
    );
  }
}
