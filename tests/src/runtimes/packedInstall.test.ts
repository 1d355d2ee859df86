import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../runtimes/testFiles.ts';
import { describeTree } from '../cli/runCli.ts';

// What a user outside the repository gets: every package packed with `pnpm pack` (as it would
// be published), installed with npm into an empty folder, and `sealstream` run from there.

const work = mkdtempSync(join(tmpdir(), 'sealstream-packed-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(
  cmd: string,
  args: string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { cwd, maxBuffer: 16 << 20, env: { ...process.env, FORCE_COLOR: '0' } },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function ok(cmd: string, args: string[], cwd: string): Promise<string> {
  const r = await run(cmd, args, cwd);
  expect(r.code, `${cmd} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

describe('the packed packages, installed with npm into an empty folder', () => {
  it('give a working sealstream: --version, and a backup restored exactly', async () => {
    await ok(
      'pnpm',
      ['turbo', 'run', 'build', '--filter=@sealstream/cli...', '--output-logs=errors-only'],
      REPO_ROOT,
    );
    const tarballs = join(work, 'tarballs');
    mkdirSync(tarballs);
    for (const pkg of readdirSync(join(REPO_ROOT, 'packages')))
      await ok('pnpm', ['pack', '--pack-destination', tarballs], join(REPO_ROOT, 'packages', pkg));
    const app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{ "name": "try-sealstream", "private": true }\n');
    const files = readdirSync(tarballs).map((f) => join(tarballs, f));
    expect(files.length).toBe(readdirSync(join(REPO_ROOT, 'packages')).length);
    await ok('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...files], app);

    const sealstream = join(app, 'node_modules', '.bin', 'sealstream');
    const version = await ok(sealstream, ['--version'], app);
    expect(version.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const data = join(work, 'data');
    mkdirSync(join(data, 'sub'), { recursive: true });
    writeFileSync(join(data, 'a.txt'), 'hello from a packed install\n');
    writeFileSync(join(data, 'sub', 'b.bin'), Buffer.alloc(300_000, 7));
    const pass = join(work, 'pass');
    writeFileSync(pass, 'packed install\n');
    chmodSync(pass, 0o600);
    const c = join(work, 'collection');
    await ok(
      sealstream,
      ['backup', data, '--into', c, '--passphrase-file', pass, '--kdf', 'pbkdf2'],
      app,
    );
    const out = join(work, 'restored');
    await ok(sealstream, ['restore', '--from', c, '--to', out, '--passphrase-file', pass], app);
    expect(describeTree(out)).toEqual(describeTree(data));
    await ok(sealstream, ['verify', '--in', c, '--passphrase-file', pass], app);
  }, 600_000);
});
