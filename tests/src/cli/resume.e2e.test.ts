import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RESTORE_MARKER, RESTORE_STAGING } from '@sealstream/fs';
import { afterAll, describe, expect, it } from 'vitest';
import { cliOk, describeTree, runCli, startCli } from './runCli.ts';

const work = mkdtempSync(join(tmpdir(), 'sealstream-resume-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function filesUnder(dir: string): string[] {
  try {
    return (readdirSync(dir, { recursive: true }) as string[]).map(String);
  } catch {
    return [];
  }
}

describe('resuming an interrupted restore', () => {
  it('a restore killed with -9, run again, keeps the complete files and ends equal to the source', async () => {
    const pass = join(work, 'pass');
    writeFileSync(pass, 'resume\n', { mode: 0o600 });
    const src = join(work, 'src');
    for (let d = 0; d < 6; d++) {
      mkdirSync(join(src, `d${d}`), { recursive: true });
      for (let i = 0; i < 60; i++)
        writeFileSync(join(src, `d${d}`, `f${i}`), randomBytes(24 * 1024));
    }
    symlinkSync('d0/f0', join(src, 'link'));
    const c = join(work, 'c');
    await cliOk(['backup', src, '--into', c, '--passphrase-file', pass]);

    const out = join(work, 'out');
    const args = ['restore', '--from', c, '--to', out, '--passphrase-file', pass];
    const { child, done } = startCli(args);
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (filesUnder(out).length >= 60 || child.exitCode !== null) {
          clearInterval(timer);
          child.kill('SIGKILL');
          resolve();
        }
      }, 5);
    });
    expect((await done).signal, 'the restore finished before the kill').toBe('SIGKILL');
    expect(existsSync(join(out, RESTORE_MARKER))).toBe(true);
    const want = describeTree(src);
    // The tree written so far is in the staging directory, under its own names.
    const before = describeTree(join(out, RESTORE_STAGING));
    const kept = Object.keys(before).filter((n) => before[n] === want[n] && n.includes('/f'));
    expect(kept.length).toBeGreaterThan(0);
    expect(Object.keys(before).length).toBeLessThan(Object.keys(want).length + 1);
    const inodes = new Map(kept.map((n) => [n, statSync(join(out, RESTORE_STAGING, n)).ino]));

    const again = await runCli([...args, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(describeTree(out)).toEqual(want);
    expect(existsSync(join(out, RESTORE_MARKER))).toBe(false);
    // The files complete before the kill were kept, not written again.
    for (const [n, ino] of inodes) expect([n, statSync(join(out, n)).ino]).toEqual([n, ino]);

    // A finished restore leaves no marker: a third run refuses the non-empty directory.
    const third = await runCli(args);
    expect(third.code).toBe(1);
    expect(third.stderr).toContain('ERR_CLI_TARGET_NOT_EMPTY');
  }, 180_000);

  it('refuses to resume into a directory whose marker names another backup', async () => {
    const pass = join(work, 'pass2');
    writeFileSync(pass, 'resume\n', { mode: 0o600 });
    const src = join(work, 'src2');
    mkdirSync(src);
    writeFileSync(join(src, 'a'), 'a');
    const c = join(work, 'c2');
    await cliOk(['backup', src, '--into', c, '--passphrase-file', pass]);
    const out = join(work, 'other');
    mkdirSync(out);
    writeFileSync(join(out, RESTORE_MARKER), JSON.stringify({ id: 'x', full: 'x' }));
    writeFileSync(join(out, 'a'), 'not from this backup');
    const r = await runCli(['restore', '--from', c, '--to', out, '--passphrase-file', pass]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ERR_CLI_TARGET_NOT_EMPTY');
    expect(describeTree(out, { mtimes: false }).a).toContain(' 20 ');
  }, 120_000);
});
