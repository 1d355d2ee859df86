import {
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliOk, describeTree } from './runCli.ts';

const work = mkdtempSync(join(tmpdir(), 'sealstream-hardlinks-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('CLI: hard links', () => {
  it('restores the names of one file as hard links of one file, and any one name alone', async () => {
    const src = join(work, 'src');
    mkdirSync(join(src, 'a'), { recursive: true });
    mkdirSync(join(src, 'b'));
    writeFileSync(join(src, 'a', 'data.bin'), 'one file, three names\n'.repeat(1000));
    linkSync(join(src, 'a', 'data.bin'), join(src, 'b', 'same.bin'));
    linkSync(join(src, 'a', 'data.bin'), join(src, 'b', 'also.bin'));
    // A file with a name outside the backed-up tree: its one name inside is a plain file.
    writeFileSync(join(src, 'single.txt'), 'linked from outside');
    linkSync(join(src, 'single.txt'), join(work, 'outside.txt'));
    const pass = join(work, 'pass');
    writeFileSync(pass, 'hard links\n', { mode: 0o600 });
    const c = join(work, 'c');
    const key = ['--passphrase-file', pass];
    await cliOk(['backup', src, '--into', c, ...key, '--kdf', 'pbkdf2']);

    const out = join(work, 'out');
    await cliOk(['restore', '--from', c, '--to', out, ...key]);
    expect(describeTree(out)).toEqual(describeTree(src));
    const names = ['a/data.bin', 'b/also.bin', 'b/same.bin'].map((n) => statSync(join(out, n)));
    expect(new Set(names.map((s) => s.ino)).size).toBe(1);
    expect(names.map((s) => s.nlink)).toEqual([3, 3, 3]);
    expect(statSync(join(out, 'single.txt')).nlink).toBe(1);

    // One name alone is a complete file of its own.
    const one = join(work, 'one');
    await cliOk(['restore', '--from', c, '--to', one, '--object', 'b/same.bin', ...key]);
    expect(readFileSync(join(one, 'b', 'same.bin'), 'utf8')).toBe(
      readFileSync(join(src, 'a', 'data.bin'), 'utf8'),
    );
    expect(statSync(join(one, 'b', 'same.bin')).nlink).toBe(1);

    // An incremental with nothing changed reads nothing, and restores the links again.
    const inc = JSON.parse(
      (await cliOk(['backup', src, '--into', c, '--incremental', ...key, '--json'])).stdout,
    );
    expect(inc.written.objects).toBe(0);
    const again = join(work, 'again');
    await cliOk(['restore', '--from', c, '--to', again, ...key]);
    expect(statSync(join(again, 'b', 'also.bin')).ino).toBe(
      statSync(join(again, 'a', 'data.bin')).ino,
    );
  }, 120_000);
});
