import {
  chmodSync,
  chownSync,
  copyFileSync,
  lchownSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chownTree, NOBODY, runCli } from './runCli.ts';

// Giving files away needs root. Run as root, the test backs up entries of several owners and
// restores them as root (owners kept), with --no-same-owner (owners not kept), and as `nobody`
// through setpriv (one warning). Run as a normal user, only the last part can run: the root part
// is reported as skipped, with the reason, below and in its title.
const root = process.getuid?.() === 0;
if (!root)
  console.warn(
    'owners.e2e: not running as root: restoring owners cannot be tested here (only the warning of a normal user is)',
  );
const work = mkdtempSync(join(tmpdir(), 'sealstream-owners-'));
chmodSync(work, 0o777);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const src = join(work, 'src');
const c = join(work, 'c');
const pass = join(work, 'pass');
/** Path → [uid, gid] given in the source (as root). */
const owners: Record<string, [number, number]> = {
  'a.txt': [1001, 1002],
  d: [1003, 1004],
  'd/b.txt': [NOBODY, 1005],
  link: [1006, 1007],
  suid: [1008, 1009],
};

async function backupSource(): Promise<void> {
  mkdirSync(join(src, 'd'), { recursive: true });
  writeFileSync(join(src, 'a.txt'), 'a');
  writeFileSync(join(src, 'd', 'b.txt'), 'b');
  writeFileSync(join(src, 'suid'), '#!/bin/sh\n');
  chmodSync(join(src, 'suid'), 0o4755);
  symlinkSync('a.txt', join(src, 'link'));
  if (root) {
    for (const [p, [u, g]] of Object.entries(owners)) lchownSync(join(src, p), u, g);
    // chown cleared the setuid bit: set it again.
    chmodSync(join(src, 'suid'), 0o4755);
  }
  writeFileSync(pass, 'owners\n', { mode: 0o600 });
  const r = await runCli([
    'backup',
    src,
    '--into',
    c,
    '--passphrase-file',
    pass,
    '--kdf',
    'pbkdf2',
  ]);
  expect(r.code, r.stderr).toBe(0);
  // The collection is private to its writer: let `nobody` read it (root reads it anyway).
  if (root) chownTree(c, NOBODY);
}

const ownerOf = (dir: string, p: string): [number, number] => {
  const st = lstatSync(join(dir, p));
  return [st.uid, st.gid];
};

describe('owners on restore', () => {
  const ready = backupSource();

  it.runIf(root)(
    'as root: every entry gets its stored uid and gid (lchown for symlinks), setuid survives; --no-same-owner keeps them root’s (skipped unless run as root)',
    async () => {
      await ready;
      const to = join(work, 'as-root');
      const r = await runCli([
        'restore',
        '--from',
        c,
        '--to',
        to,
        '--passphrase-file',
        pass,
        '--preserve-special-bits',
      ]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).not.toContain('warning');
      for (const [p, o] of Object.entries(owners)) expect([p, ownerOf(to, p)]).toEqual([p, o]);
      // chown comes before chmod: the setuid bit asked for is there.
      expect(lstatSync(join(to, 'suid')).mode & 0o7777).toBe(0o4755);

      const none = join(work, 'no-same-owner');
      const n = await runCli([
        'restore',
        '--from',
        c,
        '--to',
        none,
        '--passphrase-file',
        pass,
        '--no-same-owner',
        '--json',
      ]);
      expect(n.code, n.stderr).toBe(0);
      expect(n.stderr).not.toContain('warning');
      expect(JSON.parse(n.stdout).warnings).toEqual([]);
      for (const p of Object.keys(owners)) expect([p, ownerOf(none, p)]).toEqual([p, [0, 0]]);
    },
    120_000,
  );

  it('as a normal user: owners are not restored, and one warning says so (stderr, --json warnings)', async () => {
    await ready;
    const asUser = root ? NOBODY : undefined;
    const me = root ? NOBODY : (process.getuid?.() ?? -1);
    // The passphrase file (0600) must belong to the user running the CLI.
    const own = join(work, 'pass-user');
    copyFileSync(pass, own);
    if (root) chownSync(own, NOBODY, NOBODY);
    const common = asUser === undefined ? {} : { asUser };
    const to = join(work, 'as-user');
    const r = await runCli(['restore', '--from', c, '--to', to, '--passphrase-file', own], common);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l.includes('warning'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^sealstream: warning: not running as root: owners \(uid\/gid\)/);
    for (const p of Object.keys(owners)) expect([p, ownerOf(to, p)[0]]).toEqual([p, me]);

    const j = await runCli(
      [
        'restore',
        '--from',
        c,
        '--to',
        join(work, 'as-user-json'),
        '--passphrase-file',
        own,
        '--json',
      ],
      common,
    );
    expect(j.code, j.stderr).toBe(0);
    const out = JSON.parse(j.stdout);
    expect(out.warnings).toHaveLength(1);
    expect(out.warnings[0]).toContain('owners (uid/gid) are not restored');
    expect(j.stderr.split('\n').filter((l) => l.includes('warning'))).toHaveLength(1);
  }, 120_000);
});
