import { randomBytes } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliOk, describeTree, runCli } from './runCli.ts';

const work = mkdtempSync(join(tmpdir(), 'sealstream-ignore-errors-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

describe('restore --ignore-errors', () => {
  it('restores every file that authenticates, names the others, leaves none of them, exits 3', async () => {
    const pass = join(work, 'pass');
    writeFileSync(pass, 'ignore errors\n', { mode: 0o600 });
    const src = join(work, 'src');
    mkdirSync(join(src, 'sub'), { recursive: true });
    // Random bytes: each file is its own chunks, one after the other in the data pack.
    for (let i = 0; i < 8; i++)
      writeFileSync(join(src, i < 4 ? `f${i}.bin` : `sub/f${i}.bin`), randomBytes(48 * 1024));
    const c = join(work, 'c');
    await cliOk(['backup', src, '--into', c, '--passphrase-file', pass]);
    const packs = allFiles(c)
      .filter((p) => p.includes('/packs/'))
      .sort((x, y) => statSync(y).size - statSync(x).size);
    const victim = packs[0] as string;
    const bytes = readFileSync(victim);
    const middle = bytes.length >> 1;
    bytes[middle] = (bytes[middle] as number) ^ 0x40;
    writeFileSync(victim, bytes);

    // Without the flag: the first error fails the restore, typed.
    const strict = await runCli([
      'restore',
      '--from',
      c,
      '--to',
      join(work, 'strict'),
      '--passphrase-file',
      pass,
    ]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/ERR_AEAD_/);

    const out = join(work, 'out');
    const r = await runCli([
      'restore',
      '--from',
      c,
      '--to',
      out,
      '--passphrase-file',
      pass,
      '--ignore-errors',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(3);
    const doc = JSON.parse(r.stdout);
    expect(doc.ok).toBe(true);
    const failed = (doc.failed as { path: string; code: string; reason: string }[]).map(
      (f) => f.path,
    );
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.length).toBeLessThan(8);
    for (const f of doc.failed) expect(f.code).toMatch(/^ERR_AEAD_/);
    for (const p of failed) expect(r.stderr).toContain(`could not restore ${p} (`);
    // Every file not named is there and equal; none of those named is (not even half-written).
    const want = describeTree(src);
    const got = describeTree(out);
    for (const [name, d] of Object.entries(want)) {
      if (failed.includes(name)) expect(got[name], name).toBeUndefined();
      else expect(got[name], name).toBe(d);
    }
    expect(Object.keys(got).filter((n) => !(n in want))).toEqual([]);
    // Finished: no staging directory or marker left.
    expect(readdirSync(out).filter((n) => n.startsWith('.sealstream-restore-'))).toEqual([]);

    // A whole pack missing: every file in it is named, the directories are still made.
    rmSync(victim);
    const gone = await runCli([
      'restore',
      '--from',
      c,
      '--to',
      join(work, 'gone'),
      '--passphrase-file',
      pass,
      '--ignore-errors',
      '--json',
    ]);
    expect(gone.code, gone.stderr).toBe(3);
    expect(
      JSON.parse(gone.stdout)
        .failed.map((f: { path: string }) => f.path)
        .sort(),
    ).toEqual(
      Object.keys(want)
        .filter((n) => n.endsWith('.bin'))
        .sort(),
    );
    expect(Object.keys(describeTree(join(work, 'gone')))).toEqual(['sub']);
  }, 180_000);
});
