import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliOk, runCli } from './runCli.ts';

const work = mkdtempSync(join(tmpdir(), 'sealstream-restore-target-'));
const pass = join(work, 'pass');
const wrong = join(work, 'wrong');
const c = join(work, 'c');
beforeAll(async () => {
  writeFileSync(pass, 'the right passphrase\n', { mode: 0o600 });
  writeFileSync(wrong, 'a wrong passphrase\n', { mode: 0o600 });
  const src = join(work, 'src');
  mkdirSync(src);
  writeFileSync(join(src, 'a.txt'), 'alpha');
  await cliOk(['backup', src, '--into', c, '--passphrase-file', pass, '--kdf', 'pbkdf2']);
}, 60_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('restore --to: typed errors, and nothing left behind by a failed restore', () => {
  it('a wrong key, an unknown layer or object: the target is never created', async () => {
    for (const [args, code] of [
      [['--passphrase-file', wrong], 'ERR_BACKUP_NO_KEY'],
      [['--passphrase-file', pass, '--as-of', '20990101-000000.00'], 'ERR_BACKUP_NOT_FOUND'],
      [['--passphrase-file', pass, '--object', 'nope.txt'], 'ERR_BACKUP_NOT_FOUND'],
    ] as const) {
      const to = join(work, `never-${code}-${args.length}`);
      const r = await runCli(['restore', '--from', c, '--to', to, ...args]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(code);
      expect(existsSync(to), `${args.join(' ')} left ${to}`).toBe(false);
    }
  }, 60_000);

  it('a regular file or a dangling symlink as --to: ERR_CLI_TARGET_NOT_DIRECTORY, untouched', async () => {
    const file = join(work, 'a-file');
    writeFileSync(file, 'keep me');
    const dangling = join(work, 'dangling');
    symlinkSync(join(work, 'nowhere'), dangling);
    for (const to of [file, dangling]) {
      const r = await runCli(['restore', '--from', c, '--to', to, '--passphrase-file', pass]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain('ERR_CLI_TARGET_NOT_DIRECTORY');
      expect(r.stderr).not.toMatch(/ERR_UNEXPECTED|EEXIST|ENOTDIR/);
    }
    expect(readFileSync(file, 'utf8')).toBe('keep me');
    expect(existsSync(join(work, 'nowhere'))).toBe(false);
  }, 60_000);
});
