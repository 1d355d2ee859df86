import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RESTORE_MARKER, RESTORE_STAGING } from '@sealstream/fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliOk, describeTree, startCli } from './runCli.ts';

const work = mkdtempSync(join(tmpdir(), 'sealstream-cli-crash-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const passFile = join(work, 'pass');
const collection = join(work, 'collection');
const first = join(work, 'first');
const second = join(work, 'second');

function equal(a: string[] | undefined, b: string[] | undefined): boolean {
  return a !== undefined && b !== undefined && a.join(' ') === b.join(' ');
}

function filesUnder(dir: string): string[] {
  try {
    return (readdirSync(dir, { recursive: true }) as string[]).map(String);
  } catch {
    return [];
  }
}

/**
 * Starts a backup of `second`, waits until `when(files)` holds for the files it added to the
 * collection, then kill -9.
 */
async function killBackupWhen(when: (files: string[]) => boolean): Promise<string[]> {
  const before = new Set(filesUnder(collection));
  const { child, done } = startCli([
    'backup',
    second,
    '--into',
    collection,
    '--passphrase-file',
    passFile,
  ]);
  const seen = await new Promise<string[]>((resolve) => {
    const timer = setInterval(() => {
      const files = filesUnder(collection).filter((f) => !before.has(f));
      if (when(files) || child.exitCode !== null) {
        clearInterval(timer);
        child.kill('SIGKILL');
        resolve(files);
      }
    }, 5);
  });
  const r = await done;
  expect(r.signal, `the backup finished before the kill point: ${r.stderr}`).toBe('SIGKILL');
  return seen;
}

beforeAll(async () => {
  writeFileSync(passFile, 'crash test passphrase\n', { mode: 0o600 });
  mkdirSync(first);
  writeFileSync(join(first, 'one.txt'), 'the first backup');
  mkdirSync(second);
  for (let i = 0; i < 600; i++)
    writeFileSync(join(second, `f${String(i).padStart(3, '0')}.bin`), randomBytes(64 * 1024));
  writeFileSync(join(second, 'big.bin'), randomBytes(48 << 20));
  await cliOk(['backup', first, '--into', collection, '--passphrase-file', passFile]);
}, 120_000);

describe('kill -9 of a backup at several points', () => {
  const points: [string, (files: string[]) => boolean][] = [
    ['as soon as the process runs', () => true],
    [
      'after ENCRYPTION_INFO of the new backup',
      (f) => f.some((x) => x.endsWith('/ENCRYPTION_INFO')),
    ],
    // The files' chunks fill data packs of 16 MiB, written as they fill; the tree pack and the
    // snapshot come last.
    ['after the first pack', (f) => f.some((x) => x.includes('/packs/'))],
    ['after two committed packs', (f) => f.filter((x) => x.includes('/packs/')).length >= 2],
  ];
  for (const [label, when] of points) {
    it(`${label}: earlier backups and LATEST still list, show and restore; the unfinished one is invisible`, async () => {
      await killBackupWhen(when);
      const listed = JSON.parse(
        (await cliOk(['list', '--in', collection, '--json'])).stdout,
      ).backups;
      expect(listed).toHaveLength(1);
      expect(listed[0]).toMatchObject({ type: 'full', latest: true });
      const shown = JSON.parse(
        (
          await cliOk([
            'show',
            'LATEST',
            '--in',
            collection,
            '--passphrase-file',
            passFile,
            '--json',
          ])
        ).stdout,
      );
      expect(shown.rows.map((r: { object: string }) => r.object)).toEqual(['one.txt']);
      const out = join(work, `restored-${points.findIndex((p) => p[0] === label)}`);
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
      expect(describeTree(out)).toEqual(describeTree(first));
    }, 180_000);
  }

  it('Ctrl-C (SIGINT) during a backup exits 130, leaves no temporary file, and nothing is committed', async () => {
    const before = JSON.parse((await cliOk(['list', '--in', collection, '--json'])).stdout).backups;
    const existing = new Set(filesUnder(collection));
    const { child, done } = startCli([
      'backup',
      second,
      '--into',
      collection,
      '--passphrase-file',
      passFile,
    ]);
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const added = filesUnder(collection).filter((f) => !existing.has(f));
        if (added.some((f) => f.includes('/packs/')) || child.exitCode !== null) {
          clearInterval(timer);
          child.kill('SIGINT');
          resolve();
        }
      }, 5);
    });
    const r = await done;
    expect(r.code, r.stderr).toBe(130);
    // (The kill -9 cases above may have left temporary files of their own: not this run's.)
    const left = filesUnder(collection).filter((f) => !existing.has(f));
    expect(left.filter((f) => /\.tmp-[0-9a-f]{16}$/.test(f))).toEqual([]);
    const after = JSON.parse((await cliOk(['list', '--in', collection, '--json'])).stdout).backups;
    expect(after).toEqual(before);
  }, 180_000);

  it('a later backup succeeds and becomes LATEST', async () => {
    await cliOk(['backup', second, '--into', collection, '--passphrase-file', passFile]);
    const listed = JSON.parse((await cliOk(['list', '--in', collection, '--json'])).stdout).backups;
    expect(listed.map((b: { latest: boolean }) => b.latest)).toEqual([false, true]);
    await cliOk(['verify', '--in', collection, '--passphrase-file', passFile]);
  }, 180_000);

  it('a restore killed half way leaves no file that looks complete and is not', async () => {
    const out = join(work, 'killed-restore');
    const { child, done } = startCli([
      'restore',
      '--from',
      collection,
      '--to',
      out,
      '--passphrase-file',
      passFile,
    ]);
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (filesUnder(out).length >= 30 || child.exitCode !== null) {
          clearInterval(timer);
          child.kill('SIGKILL');
          resolve();
        }
      }, 5);
    });
    expect((await done).signal).toBe('SIGKILL');
    const want = describeTree(second);
    // Nothing under a final name: the marker (a rerun resumes) and the staging directory.
    expect(readdirSync(out).sort()).toEqual([RESTORE_MARKER, RESTORE_STAGING]);
    const got = describeTree(join(out, RESTORE_STAGING));
    // What a rerun keeps — a file with its entry's size and mtime — is the source's file.
    const sizeAndMtime = (d: string | undefined) => d?.split(' ').slice(2, 4);
    const complete = Object.keys(got).filter(
      (n) => got[n]?.startsWith('file') && equal(sizeAndMtime(got[n]), sizeAndMtime(want[n])),
    );
    expect(complete.length).toBeGreaterThan(0);
    for (const name of complete) expect(got[name], name).toBe(want[name]);
  }, 180_000);

  it('Ctrl-C (SIGINT) during a restore exits 130 and leaves no partial file', async () => {
    const out = join(work, 'interrupted-restore');
    const { child, done } = startCli([
      'restore',
      '--from',
      collection,
      '--to',
      out,
      '--passphrase-file',
      passFile,
    ]);
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (filesUnder(out).length >= 30 || child.exitCode !== null) {
          clearInterval(timer);
          child.kill('SIGINT');
          resolve();
        }
      }, 5);
    });
    const r = await done;
    expect(r.code, r.stderr).toBe(130);
    expect(readdirSync(out).sort()).toEqual([RESTORE_MARKER, RESTORE_STAGING]);
    // Every file there is whole (directories get their modes at the end).
    const got = Object.entries(describeTree(join(out, RESTORE_STAGING))).filter(([, d]) =>
      d.startsWith('file'),
    );
    expect(got.length).toBeGreaterThan(0);
    const want = describeTree(second);
    for (const [name, d] of got) expect(d, name).toEqual(want[name]);
  }, 180_000);
});
