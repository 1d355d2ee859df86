import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';

/** A server child process started by a test, with its log file. */
export interface ServerProcess {
  readonly pid: number;
  readonly log: string;
  /** Stops it (SIGTERM, then SIGKILL after `graceMs`) and waits for its exit. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

/**
 * Spawns a server, writes its output to `log`, and waits until `ready()` resolves true (polled
 * every 100 ms, up to `timeoutMs`). Fails with the tail of the log if it exits or times out.
 *
 * @example
 * ```ts
 * const p = await startServerProcess(process.execPath, ['server.js'], { log: '/tmp/s.log', ready: () => httpAnswers('http://127.0.0.1:1234/') });
 * await p.stop();
 * ```
 */
export async function startServerProcess(
  command: string,
  args: string[],
  options: {
    log: string;
    ready: () => Promise<boolean>;
    env?: NodeJS.ProcessEnv;
    timeoutMs?: number;
    cwd?: string;
  },
): Promise<ServerProcess> {
  const out = createWriteStream(options.log, { flags: 'a' });
  const child: ChildProcess = spawn(command, args, {
    env: options.env ?? process.env,
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(out, { end: false });
  child.stderr?.pipe(out, { end: false });
  let exited: string | undefined;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = `exited with ${code ?? signal}`;
      resolve();
    });
    child.once('error', (e) => {
      exited = `failed to start: ${e.message}`;
      resolve();
    });
  });
  const tail = () => {
    try {
      return readFileSync(options.log, 'utf8').slice(-2000);
    } catch {
      return '';
    }
  };
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (exited)
      throw new Error(`${command} ${exited} before it was ready; log ${options.log}:\n${tail()}`);
    if (await options.ready().catch(() => false)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `${command} was not ready in ${options.timeoutMs ?? 60_000} ms; log ${options.log}:\n${tail()}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    pid: child.pid as number,
    log: options.log,
    async stop(signal = 'SIGTERM', graceMs = 5000) {
      if (exited) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exit;
      clearTimeout(timer);
      out.end();
    },
  };
}

/** True when something answers HTTP at `url` (any status). */
export async function httpAnswers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.body?.cancel();
    return true;
  } catch {
    return false;
  }
}
