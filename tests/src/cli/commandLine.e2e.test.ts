import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
    writeFileSync(pass, 'a passphrase for the pipe test\n');
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
