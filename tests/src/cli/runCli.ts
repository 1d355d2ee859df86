import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  lchownSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const bin = join(root, 'packages/cli/src/bin.ts');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The user and group id of `nobody`: what `asUser` runs the CLI as in tests that run as root. */
export const NOBODY = 65534;

/** Gives `path` and everything under it (links themselves, not followed) to user and group `id`. */
export function chownTree(path: string, id: number): void {
  lchownSync(path, id, id);
  if (lstatSync(path).isDirectory())
    for (const n of readdirSync(path)) chownTree(join(path, n), id);
}

/** The first directory from `path` up to `/` that user `id` cannot pass through, if any. */
function blockingDirectory(path: string, id: number): string | undefined {
  for (let dir = path; ; dir = dirname(dir)) {
    const st = statSync(dir);
    if (st.uid !== id && (st.mode & 0o001) === 0) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

const readableCheckouts = new Map<number, string>();
afterAll(() => {
  for (const checkout of readableCheckouts.values())
    if (checkout !== root) rmSync(dirname(checkout), { recursive: true, force: true });
  readableCheckouts.clear();
});

/**
 * A checkout that user `id` can read: this one, or — when a directory above it is closed to
 * others (a clone made inside `mktemp -d` is mode 0700) — a copy of it made of hard links in a
 * temporary directory that others can pass through, removed after the test file.
 */
function checkoutFor(id: number): string {
  const known = readableCheckouts.get(id);
  if (known !== undefined) return known;
  const blocked = blockingDirectory(root, id);
  let checkout = root;
  if (blocked !== undefined) {
    const holder = mkdtempSync(join(tmpdir(), 'sealstream-checkout-'));
    chmodSync(holder, 0o755);
    checkout = join(holder, 'repo');
    try {
      execFileSync('cp', ['-al', root, checkout], { stdio: 'pipe' });
    } catch (e) {
      throw new Error(
        `user ${id} cannot read this checkout (${blocked} is closed to others), and linking a copy into ${holder} failed (${(e as Error).message.trim()}): clone the repository where other users can read it`,
      );
    }
    chmodSync(checkout, 0o755);
  }
  readableCheckouts.set(id, checkout);
  return checkout;
}

/** Options of {@link startCli}. */
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
  const asOther = options.asUser !== undefined && process.getuid?.() === 0;
  const checkout = asOther ? checkoutFor(options.asUser as number) : root;
  const node = [
    process.execPath,
    '--conditions=@sealstream/source',
    '--import',
    'tsx',
    join(checkout, relative(root, bin)),
    ...args,
  ];
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
    cwd: checkout,
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
