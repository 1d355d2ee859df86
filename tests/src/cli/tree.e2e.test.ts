import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  lutimesSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliOk, describeTree, runCli } from './runCli.ts';

const work = mkdtempSync(join(tmpdir(), 'sealstream-cli-tree-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const passFile = join(work, 'pass');
writeFileSync(passFile, 'a passphrase for the tree test\n', { mode: 0o600 });

describe('sealstream backup / restore of a real tree', () => {
  it('keeps empty files, deep paths, unicode names, symlinks, modes, mtimes and a 256 MiB file', async () => {
    const src = join(work, 'src');
    let deep = join(src, 'deep');
    for (let i = 0; i < 40; i++) deep = join(deep, `level-${i}`);
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(deep, 'bottom.txt'), 'at the bottom');
    writeFileSync(join(src, 'empty'), '');
    mkdirSync(join(src, 'ünïcødé 名前'));
    writeFileSync(join(src, 'ünïcødé 名前', 'файл.txt'), 'привет');
    writeFileSync(join(src, 'secret.key'), 'private', { mode: 0o600 });
    chmodSync(join(src, 'secret.key'), 0o600);
    writeFileSync(join(src, 'run.sh'), '#!/bin/sh\n');
    chmodSync(join(src, 'run.sh'), 0o755);
    mkdirSync(join(src, 'locked'));
    writeFileSync(join(src, 'locked', 'ro.txt'), 'read only');
    chmodSync(join(src, 'locked', 'ro.txt'), 0o444);
    chmodSync(join(src, 'locked'), 0o700);
    symlinkSync('run.sh', join(src, 'relative-link'));
    symlinkSync('/nonexistent/target', join(src, 'dangling-link'));
    // 256 MiB, streamed: written in 1 MiB blocks that differ from each other.
    const block = randomBytes(1 << 20);
    const fd = openSync(join(src, 'big.bin'), 'w');
    for (let i = 0; i < 256; i++) {
      block.writeUInt32LE(i, 0);
      writeSync(fd, block);
    }
    closeSync(fd);
    utimesSync(
      join(src, 'big.bin'),
      new Date('2001-02-03T04:05:06.789Z'),
      new Date('2001-02-03T04:05:06.789Z'),
    );
    utimesSync(join(src, 'empty'), 1_000_000, 1_000_000);
    lutimesSync(join(src, 'relative-link'), 2_000_000, 2_000_000);

    const collection = join(work, 'collection');
    const b = await cliOk([
      'backup',
      src,
      '--into',
      collection,
      '--passphrase-file',
      passFile,
      '--json',
    ]);
    const result = JSON.parse(b.stdout);
    expect(result).toMatchObject({ ok: true, type: 'full' });
    expect(result.bytes).toBeGreaterThanOrEqual(256 * 1024 * 1024);

    const out = join(work, 'out');
    await cliOk([
      'restore',
      'LATEST',
      '--from',
      collection,
      '--to',
      out,
      '--passphrase-file',
      passFile,
    ]);
    const want = describeTree(src);
    const got = describeTree(out);
    expect(got).toEqual(want);
    expect(want['big.bin']).toMatch(/^file 644 981173106789 268435456 /);
    expect(want['dangling-link']).toBe('link /nonexistent/target');
    expect(want['locked/ro.txt']).toMatch(/^file 444 /);

    // A single object restores on its own.
    const one = join(work, 'one');
    await cliOk([
      'restore',
      '--from',
      collection,
      '--to',
      one,
      '--passphrase-file',
      passFile,
      '--object',
      'ünïcødé 名前',
    ]);
    expect(Object.keys(describeTree(one))).toEqual(['ünïcødé 名前', 'ünïcødé 名前/файл.txt']);
  }, 300_000);

  it('clears setuid and setgid on restore unless --preserve-special-bits', async () => {
    const src = join(work, 'special-src');
    mkdirSync(src);
    writeFileSync(join(src, 'suid'), '#!/bin/sh\n');
    chmodSync(join(src, 'suid'), 0o4755);
    const collection = join(work, 'special-collection');
    await cliOk([
      'backup',
      src,
      '--into',
      collection,
      '--passphrase-file',
      passFile,
      '--kdf',
      'pbkdf2',
    ]);
    const restoreTo = async (to: string, ...flags: string[]) => {
      await cliOk([
        'restore',
        '--from',
        collection,
        '--to',
        to,
        '--passphrase-file',
        passFile,
        ...flags,
      ]);
      return statSync(join(to, 'suid')).mode & 0o7777;
    };
    expect(await restoreTo(join(work, 'special-out'))).toBe(0o755);
    expect(await restoreTo(join(work, 'special-kept'), '--preserve-special-bits')).toBe(0o4755);
    expect((await cliOk(['restore', '--help'])).stdout).toContain('--preserve-special-bits');
  }, 120_000);

  it('refuses a restore target that is not empty, without touching it', async () => {
    const collection = join(work, 'small');
    const src = join(work, 'small-src');
    mkdirSync(src);
    writeFileSync(join(src, 'x'), 'x');
    await cliOk(['backup', src, '--into', collection, '--passphrase-file', passFile]);
    const r = await runCli([
      'restore',
      '--from',
      collection,
      '--to',
      src,
      '--passphrase-file',
      passFile,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ERR_CLI_TARGET_NOT_EMPTY');
    expect(describeTree(src, { mtimes: false })).toEqual({ x: expect.stringMatching(/^file /) });
  });

  it('backs up stdin as a named object', async () => {
    const collection = join(work, 'stdin');
    const payload = randomBytes(3 << 20);
    await cliOk(
      ['backup', '-', '--name', 'db.dump', '--into', collection, '--passphrase-file', passFile],
      { input: payload },
    );
    const out = join(work, 'stdin-out');
    await cliOk(['restore', '--from', collection, '--to', out, '--passphrase-file', passFile]);
    expect(describeTree(out, { mtimes: false })['db.dump']).toContain(` ${payload.length} `);
  });
});
