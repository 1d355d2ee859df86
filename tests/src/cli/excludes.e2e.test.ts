import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliOk, describeTree } from './runCli.ts';

const work = mkdtempSync(join(tmpdir(), 'sealstream-excludes-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('backup --exclude, --exclude-file, --exclude-if-present, --dry-run', () => {
  it('leaves out what they name; --dry-run counts the same objects and writes nothing', async () => {
    const src = join(work, 'src');
    for (const d of ['logs', 'app/cache', 'private']) mkdirSync(join(src, d), { recursive: true });
    const files: Record<string, string> = {
      'app/main.js': 'main',
      'app/debug.log': 'noise',
      'app/cache/blob.tmp': 'temporary',
      'app/cache/index': 'kept',
      'logs/today.log': 'noise',
      'private/.nobackup': '',
      'private/diary.txt': 'not for backups',
      README: 'readme',
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(join(src, name), text);
    const patterns = join(work, 'patterns');
    writeFileSync(patterns, '# temporary files\napp/cache/*.tmp\n');
    const pass = join(work, 'pass');
    writeFileSync(pass, 'excludes\n', { mode: 0o600 });
    const c = join(work, 'c');
    const filters = [
      '--exclude',
      '*.log',
      '--exclude-file',
      patterns,
      '--exclude-if-present',
      '.nobackup',
    ];
    const dry = JSON.parse(
      (await cliOk(['backup', src, '--into', c, ...filters, '--dry-run', '--json'])).stdout,
    );
    expect(existsSync(c)).toBe(false);
    // app, app/main.js, app/cache, app/cache/index, logs, README
    expect(dry).toMatchObject({ ok: true, dryRun: true, objects: 6, bytes: 4 + 4 + 6 });
    const r = JSON.parse(
      (
        await cliOk([
          'backup',
          src,
          '--into',
          c,
          ...filters,
          '--passphrase-file',
          pass,
          '--kdf',
          'pbkdf2',
          '--json',
        ])
      ).stdout,
    );
    expect(r.objects).toBe(dry.objects);
    const out = join(work, 'out');
    await cliOk(['restore', '--from', c, '--to', out, '--passphrase-file', pass]);
    expect(Object.keys(describeTree(out)).sort()).toEqual([
      'README',
      'app',
      'app/cache',
      'app/cache/index',
      'app/main.js',
      'logs',
    ]);
  }, 60_000);
});
