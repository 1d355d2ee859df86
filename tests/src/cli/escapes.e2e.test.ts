import { mkdirSync, mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliOk } from './runCli.ts';

const work = mkdtempSync(join(tmpdir(), 'sealstream-cli-escapes-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const src = join(work, 'src');
const collection = join(work, 'collection');
const pass = join(work, 'pass');
/** A name that clears the screen and forges a line when printed raw. */
const evil = 'evil\x1b[2J\nforged line.txt';
const escaped = 'evil\\x1b[2J\\nforged line.txt';
const keyArgs = ['--passphrase-file', pass];

beforeAll(async () => {
  writeFileSync(pass, 'a passphrase for the escape test\n', { mode: 0o600 });
  mkdirSync(src);
  writeFileSync(join(src, evil), 'hostile name');
  writeFileSync(join(src, 'plain.txt'), 'plain');
  await cliOk(['backup', src, '--into', collection, ...keyArgs, '--kdf', 'pbkdf2']);
  unlinkSync(join(src, evil));
  await cliOk(['backup', src, '--into', collection, ...keyArgs, '--incremental']);
}, 120_000);

describe('names holding terminal escapes', () => {
  it('show prints them escaped, as rows and as deleted; --json keeps them exact', async () => {
    const { stdout } = await cliOk(['show', '--in', collection, ...keyArgs]);
    expect(stdout).not.toContain('\x1b');
    expect(stdout.split('\n').some((l) => l.startsWith('forged line'))).toBe(false);
    expect(stdout).toContain(escaped);
    expect(stdout).toMatch(new RegExp(`deleted ${escaped.replace(/[\\[\]$.]/g, '\\$&')}`));
    const json = JSON.parse(
      (await cliOk(['show', '--in', collection, ...keyArgs, '--json'])).stdout,
    );
    expect(json.rows.map((r: { object: string }) => r.object)).toContain(evil);
    expect(json.layers.some((l: { deleted: string[] }) => l.deleted.includes(evil))).toBe(true);
  }, 60_000);

  it('restore and verify print no raw control character; the file keeps its exact name', async () => {
    const { stdout: list } = await cliOk(['list', '--in', collection, '--json']);
    const full = JSON.parse(list).backups[0].id as string;
    const out = join(work, 'out');
    const r = await cliOk([
      'restore',
      full,
      '--from',
      collection,
      '--to',
      out,
      ...keyArgs,
      '--as-of',
      full,
    ]);
    expect(readdirSync(out).sort()).toEqual([evil, 'plain.txt'].sort());
    const v = await cliOk(['verify', '--in', collection, ...keyArgs]);
    // Any raw control character but the newline and tab of ordinary output.
    const raw = (text: string) =>
      [...text].filter((c) => {
        const n = c.charCodeAt(0);
        return (n < 0x20 && c !== '\n' && c !== '\t') || n === 0x7f;
      });
    for (const text of [r.stdout, r.stderr, v.stdout, v.stderr]) expect(raw(text)).toEqual([]);
  }, 60_000);
});
