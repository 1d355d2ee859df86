import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lchownSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const bin = join(root, 'packages/cli/src/bin.ts');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Options of {@link startCli}. */
/** The user and group id of `nobody`: what `asUser` runs the CLI as in tests that run as root. */
export const NOBODY = 65534;

/** Gives `path` and everything under it (links themselves, not followed) to user and group `id`. */
export function chownTree(path: string, id: number): void {
  lchownSync(path, id, id);
  if (lstatSync(path).isDirectory())
    for (const n of readdirSync(path)) chownTree(join(path, n), id);
}

export interface CliOptions {
  input?: Buffer | string;
  env?: Record<string, string>;
  /**
   * Run as this user id (and group id) instead, through `setpriv`, when the tests run as root:
   * permission checks then apply to the CLI as they would to a normal user.
   */
  asUser?: number;
}

/** Starts the `sealstream` CLI from source as a child process. */
export function startCli(
  args: string[],
  options: CliOptions = {},
): {
  child: ChildProcess;
  done: Promise<CliResult>;
} {
  const node = [
    process.execPath,
    '--conditions=@sealstream/source',
    '--import',
    'tsx',
    bin,
    ...args,
  ];
  const asOther = options.asUser !== undefined && process.getuid?.() === 0;
  const [command, ...argv] = asOther
    ? [
        'setpriv',
        `--reuid=${options.asUser}`,
        `--regid=${options.asUser}`,
        '--clear-groups',
        ...node,
      ]
    : node;
  const child = spawn(command as string, argv, {
    cwd: root,
    env: { ...process.env, SEALSTREAM_PASSPHRASE: '', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d) => (stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d) => (stderr += d));
  if (options.input !== undefined) child.stdin?.end(options.input);
  else child.stdin?.end();
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

/** Runs the CLI to completion. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return startCli(args, options).done;
}

/** Runs the CLI and fails (with its stderr) unless it exits 0. */
export async function cliOk(
  args: string[],
  options: { input?: Buffer | string; env?: Record<string, string> } = {},
): Promise<CliResult> {
  const r = await runCli(args, options);
  if (r.code !== 0) throw new Error(`sealstream ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r;
}

/** A description of a tree for comparison: type, mode, mtime (ms), size and SHA-256 or link target. */
export function describeTree(
  dir: string,
  options: { mtimes?: boolean } = {},
): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(p);
      const mtime = options.mtimes === false ? '' : ` ${Math.trunc(st.mtimeMs)}`;
      if (st.isSymbolicLink()) out[r] = `link ${readlinkSync(p)}`;
      else if (st.isDirectory()) {
        out[r] = `dir ${(st.mode & 0o7777).toString(8)}`;
        walk(p, r);
      } else {
        const h = createHash('sha256').update(readFileSync(p)).digest('hex');
        out[r] = `file ${(st.mode & 0o7777).toString(8)}${mtime} ${st.size} ${h}`;
      }
    }
  };
  walk(dir, '');
  return out;
}
