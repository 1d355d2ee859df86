import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliOk, runCli, startCli } from './runCli.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'sealstream-cli-line-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('sealstream --version', () => {
  const { version } = JSON.parse(readFileSync(join(root, 'packages/cli/package.json'), 'utf8'));

  it.each(['--version', '-V'])('%s prints the CLI package version and exits 0', async (flag) => {
    const r = await runCli([flag]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(`${version}\n`);
  });

  it('--version --json prints one JSON document', async () => {
    const r = await runCli(['--version', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ ok: true, command: 'version', version });
  });
});

describe('output into a closed pipe (sealstream … | head -1)', () => {
  const pass = join(work, 'pipe-pass');
  const collection = join(work, 'pipe-collection');
  beforeAll(async () => {
    writeFileSync(pass, 'a passphrase for the pipe test\n', { mode: 0o600 });
    await cliOk(
      ['backup', '-', '--into', collection, '--passphrase-file', pass, '--kdf', 'pbkdf2'],
      {
        input: 'piped',
      },
    );
  });

  /** Runs the CLI with the reading end of its stdout (or stderr) closed before it writes. */
  async function intoClosedPipe(args: string[], which: 'stdout' | 'stderr') {
    const { child, done } = startCli(args);
    child[which]?.destroy();
    return done;
  }

  it.each([[['--help']], [['list', '--in', collection]], [['list', '--in', collection, '--json']]])(
    '%j ends quietly with status 141 when stdout is closed',
    async (args) => {
      const r = await intoClosedPipe(args, 'stdout');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(141);
    },
  );

  it('a failure whose stderr is closed ends quietly with status 141', async () => {
    const r = await intoClosedPipe(['no-such-command'], 'stderr');
    expect(r.stdout).toBe('');
    expect(r.code).toBe(141);
  });
});

describe('sealstream list of a collection that is not there', () => {
  it.each([
    ['a missing directory', () => join(work, 'no-such-collection')],
    ['a missing file: URI', () => pathToFileURL(join(work, 'no-such-collection')).href],
    [
      'a regular file',
      () => {
        const file = join(work, 'a-file');
        writeFileSync(file, 'not a collection');
        return file;
      },
    ],
  ])('%s is ERR_BACKUP_NOT_FOUND naming the URI, exit 1', async (_, uri) => {
    const at = uri();
    const r = await runCli(['list', '--in', at]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^sealstream list: ERR_BACKUP_NOT_FOUND: no collection at /);
    expect(r.stderr).toContain(at.includes('a-file') ? 'a-file' : 'no-such-collection');
    const j = await runCli(['list', '--in', at, '--json']);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout)).toMatchObject({
      ok: false,
      command: 'list',
      error: { code: 'ERR_BACKUP_NOT_FOUND' },
    });
  });

  it('an empty directory is an empty collection: "no backups", exit 0', async () => {
    const empty = join(work, 'empty-collection');
    mkdirSync(empty);
    const r = await runCli(['list', '--in', empty]);
    expect(r).toMatchObject({ code: 0, stdout: 'no backups\n', stderr: '' });
    const j = await runCli(['list', '--in', empty, '--json']);
    expect(JSON.parse(j.stdout)).toEqual({ ok: true, command: 'list', backups: [] });
  });
});
