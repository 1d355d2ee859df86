import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cliOk, runCli } from './runCli.ts';

const work = mkdtempSync(join(tmpdir(), 'sealstream-json-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The top-level fields docs/CLI.md lists for each command's --json document. */
function documented(): Map<string, string[]> {
  const doc = readFileSync(fileURLToPath(new URL('../../../docs/CLI.md', import.meta.url)), 'utf8');
  const section = doc.slice(doc.indexOf('## `--json` documents'));
  const out = new Map<string, string[]>();
  for (const line of section.split('\n')) {
    const m = /^\| `([a-z -]+)` \| (.*) \|$/.exec(line);
    if (!m) continue;
    // Top-level names: backticked words not inside […], {…} or (…).
    let depth = 0;
    const names: string[] = [];
    for (const token of (m[2] as string).matchAll(/[[\]{}()]|`([A-Za-z]+)`/g)) {
      if ('[{('.includes(token[0])) depth++;
      else if (']})'.includes(token[0])) depth--;
      else if (depth === 0) names.push(token[1] as string);
    }
    out.set(m[1] as string, names);
  }
  return out;
}

describe('--json documents are exactly what docs/CLI.md says', () => {
  it('has the documented top-level fields, and no others, for every command', async () => {
    const docs = documented();
    const src = join(work, 'src');
    mkdirSync(src);
    writeFileSync(join(src, 'a.txt'), 'alpha');
    const pass = join(work, 'pass');
    const pass2 = join(work, 'pass2');
    writeFileSync(pass, 'json schema\n', { mode: 0o600 });
    writeFileSync(pass2, 'another one\n', { mode: 0o600 });
    const c = join(work, 'c');
    const key = ['--passphrase-file', pass];
    const json = async (args: string[]) => JSON.parse((await cliOk([...args, '--json'])).stdout);
    const runs: [string, Record<string, unknown>][] = [
      ['backup --dry-run', await json(['backup', src, '--into', c, '--dry-run'])],
      ['backup', await json(['backup', src, '--into', c, ...key, '--kdf', 'pbkdf2'])],
      ['restore', await json(['restore', '--from', c, '--to', join(work, 'out'), ...key])],
      ['show', await json(['show', '--in', c, ...key])],
      ['list', await json(['list', '--in', c])],
      ['verify', await json(['verify', '--in', c, ...key])],
      ['keys', await json(['keys', '--in', c])],
      ['alter', await json(['alter', '--in', c, ...key, '--add-passphrase-file', pass2])],
      ['rekey', await json(['rekey', '--in', c, ...key, '--new-passphrase-file', pass2])],
      ['forget', await json(['forget', '--in', c, '--keep-last', '1', '--dry-run'])],
      ['prune', await json(['prune', '--in', c, '--dry-run'])],
      ['keygen', await json(['keygen', '--out', join(work, 'k.key')])],
      ['version', JSON.parse((await cliOk(['--version', '--json'])).stdout)],
    ];
    for (const [command, doc] of runs) {
      const fields = docs.get(command);
      expect(fields, `docs/CLI.md documents ${command}`).toBeDefined();
      const actual = Object.keys(doc).filter((k) => k !== 'ok' && k !== 'command');
      expect(actual.sort(), command).toEqual([...(fields as string[])].sort());
      expect(doc.ok).toBe(true);
    }
    const failed = await runCli(['list', '--in', join(work, 'nowhere'), '--json']);
    expect(failed.code).toBe(1);
    expect(Object.keys(JSON.parse(failed.stdout)).sort()).toEqual(['command', 'error', 'ok']);
  }, 120_000);

  it('--json-progress writes documented JSON lines on stderr, the last one done', async () => {
    const src = join(work, 'progress-src');
    mkdirSync(src);
    for (let i = 0; i < 20; i++) writeFileSync(join(src, `f${i}.txt`), `file ${i}\n`.repeat(100));
    const pass = join(work, 'progress-pass');
    writeFileSync(pass, 'progress lines\n', { mode: 0o600 });
    const c = join(work, 'progress-c');
    const key = ['--passphrase-file', pass, '--json-progress'];
    const runs: [string, string[]][] = [
      ['backup', ['backup', src, '--into', c, '--kdf', 'pbkdf2', ...key]],
      ['restore', ['restore', '--from', c, '--to', join(work, 'progress-out'), ...key]],
      ['verify', ['verify', '--in', c, ...key]],
      ['restore', ['dump', 'LATEST', 'f3.txt', '--from', c, ...key]],
    ];
    const fields = [
      'type',
      'phase',
      'objects',
      'totalObjects',
      'bytes',
      'totalBytes',
      'elapsedMs',
      'done',
    ];
    for (const [phase, args] of runs) {
      const r = await cliOk(args);
      const lines = r.stderr
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l));
      expect(lines.length, args[0]).toBeGreaterThan(0);
      for (const line of lines) {
        expect(line.type).toBe('progress');
        expect(line.phase).toBe(phase);
        expect(
          Object.keys(line).every((k) => fields.includes(k)),
          JSON.stringify(line),
        ).toBe(true);
        expect(typeof line.objects === 'number' && typeof line.bytes === 'number').toBe(true);
      }
      expect(lines.map((l) => l.done)).toEqual([...lines.slice(1).map(() => false), true]);
      expect((lines.at(-1) as { bytes: number }).bytes).toBeGreaterThan(0);
    }
  }, 120_000);
});
