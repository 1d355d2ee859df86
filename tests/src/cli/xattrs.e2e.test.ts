import {
  chmodSync,
  chownSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readXattrs, writeXattrs } from '../../../packages/fs/src/xattrs.ts';
import { chownTree, cliOk, NOBODY, runCli } from './runCli.ts';

// Extended attributes through the CLI: backed up, restored, picked up by an incremental, and
// refused ones reported once. `trusted.*` attributes can only be set and read by root: run as a
// normal user, the part that needs them is reported as skipped, with the reason, in its title.
const root = process.getuid?.() === 0;
if (!root)
  console.warn('xattrs.e2e: not running as root: trusted.* attributes cannot be tested here');
const work = mkdtempSync(join(tmpdir(), 'sealstream-xattrs-cli-'));
chmodSync(work, 0o777);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const utf8 = (s: string) => new TextEncoder().encode(s);
const set = (path: string, name: string, value: string) =>
  writeXattrs(path, [{ name, value: utf8(value) }], (n, reason) => {
    throw new Error(`${n}: ${reason}`);
  });
const attrs = (path: string) =>
  Object.fromEntries(readXattrs(path).map((x) => [x.name, new TextDecoder().decode(x.value)]));

const src = join(work, 'src');
const c = join(work, 'c');
const pass = join(work, 'pass');
const key = ['--passphrase-file', pass];

describe('CLI: extended attributes', () => {
  it('backs them up, restores them, and an incremental picks up a changed one', async () => {
    mkdirSync(join(src, 'dir'), { recursive: true });
    writeFileSync(join(src, 'photo.jpg'), 'jpeg bytes');
    writeFileSync(join(src, 'dir', 'plain.txt'), 'none');
    set(join(src, 'photo.jpg'), 'user.origin', 'camera');
    set(join(src, 'dir'), 'user.project', 'x');
    if (root) set(join(src, 'photo.jpg'), 'trusted.audit', 'root only');
    writeFileSync(pass, 'xattrs\n', { mode: 0o600 });
    await cliOk(['backup', src, '--into', c, ...key, '--kdf', 'pbkdf2']);

    const out = join(work, 'out');
    await cliOk(['restore', '--from', c, '--to', out, ...key]);
    expect(attrs(join(out, 'photo.jpg'))).toEqual(attrs(join(src, 'photo.jpg')));
    expect(attrs(join(out, 'photo.jpg'))['user.origin']).toBe('camera');
    expect(attrs(join(out, 'dir'))).toEqual({ 'user.project': 'x' });
    expect(attrs(join(out, 'dir', 'plain.txt'))).toEqual({});

    // Same size and mtime; only the attribute (and so the ctime) changes.
    set(join(src, 'photo.jpg'), 'user.origin', 'scanner');
    await cliOk(['backup', src, '--into', c, '--incremental', ...key]);
    const again = join(work, 'again');
    await cliOk(['restore', '--from', c, '--to', again, ...key]);
    expect(attrs(join(again, 'photo.jpg'))['user.origin']).toBe('scanner');

    // --no-xattrs: a restore that sets none, and a backup that stores none.
    const bare = join(work, 'bare');
    await cliOk(['restore', '--from', c, '--to', bare, '--no-xattrs', ...key]);
    expect(attrs(join(bare, 'photo.jpg'))).toEqual({});
    expect(attrs(join(bare, 'dir'))).toEqual({});
    const c2 = join(work, 'c2');
    await cliOk(['backup', src, '--into', c2, '--no-xattrs', ...key, '--kdf', 'pbkdf2']);
    const none = join(work, 'none');
    await cliOk(['restore', '--from', c2, '--to', none, ...key]);
    expect(attrs(join(none, 'photo.jpg'))).toEqual({});
    expect(attrs(join(none, 'dir'))).toEqual({});
  }, 120_000);

  it.runIf(root)(
    'as a normal user: trusted.* is refused, named once in a warning, and the rest restored (skipped unless run as root)',
    async () => {
      const own = join(work, 'pass-user');
      copyFileSync(pass, own);
      chownSync(own, NOBODY, NOBODY);
      chownTree(c, NOBODY);
      const to = join(work, 'as-user');
      const r = await runCli(
        ['restore', '--from', c, '--to', to, '--passphrase-file', own, '--json'],
        { asUser: NOBODY },
      );
      expect(r.code, r.stderr).toBe(0);
      const warnings: string[] = JSON.parse(r.stdout).warnings;
      expect(warnings.filter((w) => w.includes('extended attributes'))).toEqual([
        'extended attributes trusted.* (EPERM) could not be restored, first on photo.jpg',
      ]);
      expect(attrs(join(to, 'photo.jpg'))).toEqual({ 'user.origin': 'scanner' });
    },
    120_000,
  );
});
