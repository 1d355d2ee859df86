import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
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

/** Runs a shell script in `cwd`, where `sealstream` runs the CLI from source. */
function sh(
  script: string,
  cwd: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const define =
    'sealstream() { "$NODE" --conditions=@sealstream/source --import "$TSX" "$BIN" "$@"; }';
  const child = spawn('sh', ['-c', `${define}\n${script}`], {
    cwd,
    env: {
      ...process.env,
      SEALSTREAM_PASSPHRASE: '',
      NODE: process.execPath,
      BIN: join(root, 'packages/cli/src/bin.ts'),
      TSX: pathToFileURL(createRequire(join(root, 'package.json')).resolve('tsx')).href,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

describe('dump to stdout (sealstream dump, restore --to -)', () => {
  const dir = join(work, 'dump');
  const pass = join(dir, 'pass');
  const big = randomBytes(3 * 1024 * 1024 + 17);
  beforeAll(async () => {
    mkdirSync(join(dir, 'tree', 'sub'), { recursive: true });
    writeFileSync(pass, 'a passphrase for the dump test\n', { mode: 0o600 });
    writeFileSync(join(dir, 'big.bin'), big);
    writeFileSync(join(dir, 'tree', 'a.txt'), 'file a');
    writeFileSync(join(dir, 'tree', 'sub', 'b.txt'), 'file b');
    const opts = ['--passphrase-file', pass, '--kdf', 'pbkdf2'];
    await cliOk(['backup', join(dir, 'tree'), '--into', join(dir, 'trees'), ...opts]);
    const r = await sh(
      `cat big.bin | sealstream backup - --name big.bin --into streams ${opts.join(' ')}`,
      dir,
    );
    expect(r.code, r.stderr).toBe(0);
  });

  it('pipes a stdin backup back out: printf | backup - then dump LATEST NAME | sha256sum', async () => {
    const input = 'CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\n';
    const r = await sh(
      `printf '${input.replace(/\n/g, '\\n')}' | sealstream backup - --name db.sql --into db --passphrase-file pass --kdf pbkdf2 >/dev/null &&
       sealstream dump LATEST db.sql --from db --passphrase-file pass | sha256sum`,
      dir,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${sha256(input)}  -\n`);
  });

  it('dump NAME and restore --to - write exactly the object bytes, nothing else, on stdout', async () => {
    const dump = await sh(
      `sealstream dump big.bin --from streams --passphrase-file pass | sha256sum`,
      dir,
    );
    expect(dump.code, dump.stderr).toBe(0);
    expect(dump.stdout).toBe(`${sha256(big)}  -\n`);
    expect(dump.stderr).toBe('');
    // A backup holding a single object needs no --object.
    const whole = await sh(
      `sealstream restore --from streams --to - --passphrase-file pass | sha256sum`,
      dir,
    );
    expect(whole.code, whole.stderr).toBe(0);
    expect(whole.stdout).toBe(`${sha256(big)}  -\n`);
    const one = await sh(
      `sealstream restore LATEST --from trees --to - --object sub/b.txt --passphrase-file pass`,
      dir,
    );
    expect(one).toMatchObject({ code: 0, stdout: 'file b', stderr: '' });
  });

  it.each([
    ['restore --from trees --to -', /several objects|3 objects/],
    ['restore --from trees --to - --object sub', /sub is a directory/],
    ['dump LATEST sub --from trees', /sub is a directory/],
    ['dump big.bin --from streams --json', /--json/],
    ['dump --from streams', /NAME/],
  ])('%s is a usage error that writes nothing to stdout and makes no directory', async (args) => {
    const r = await sh(`sealstream ${args} --passphrase-file pass`, dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ERR_CLI_USAGE/);
    expect(r.stderr).toMatch(args.includes('json') ? /--json/ : /./);
    expect(existsSync(join(dir, '-'))).toBe(false);
    if (!args.includes('--json')) expect(r.stdout).toBe('');
  });

  it('dump of a name the backup does not hold is ERR_BACKUP_NOT_FOUND, exit 1', async () => {
    const r = await sh(`sealstream dump nope.sql --from streams --passphrase-file pass`, dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^sealstream dump: ERR_BACKUP_NOT_FOUND: /);
  });
});

describe('pnpm sealstream from a subfolder', () => {
  // A folder inside the repository (tmp/ is ignored by git) with no package.json of its own, so
  // pnpm runs the root script there, from the repository root.
  mkdirSync(join(root, 'tmp'), { recursive: true });
  const caller = mkdtempSync(join(root, 'tmp', 'cli-caller-'));
  afterAll(() => {
    rmSync(caller, { recursive: true, force: true });
    if (readdirSync(join(root, 'tmp')).length === 0) rmSync(join(root, 'tmp'), { recursive: true });
  });

  function pnpm(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn('pnpm', ['sealstream', ...args], {
      cwd: caller,
      env: { ...process.env, SEALSTREAM_PASSPHRASE: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    return new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('resolves relative PATH, --into/--from/--in, --to and --passphrase-file against the caller', async () => {
    mkdirSync(join(caller, 'data'));
    writeFileSync(join(caller, 'data', 'note.txt'), 'relative paths');
    writeFileSync(join(caller, 'pass'), 'a passphrase for relative paths\n', { mode: 0o600 });
    const key = ['--passphrase-file', 'pass'];
    const b = await pnpm(['backup', 'data', '--into', 'c', ...key, '--kdf', 'pbkdf2']);
    expect(b.code, b.stderr).toBe(0);
    expect(readdirSync(join(caller, 'c')).length).toBeGreaterThan(0);
    const l = await pnpm(['list', '--in', 'c']);
    expect(l.code, l.stderr).toBe(0);
    expect(l.stdout).toContain('LATEST');
    const r = await pnpm(['restore', '--from', 'c', '--to', 'out', ...key]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(caller, 'out', 'note.txt'), 'utf8')).toBe('relative paths');
    expect(existsSync(join(root, 'c'))).toBe(false);
    expect(existsSync(join(root, 'out'))).toBe(false);
  });

  it('the CLI run directly keeps its own working directory, INIT_CWD or not', async () => {
    const r = await runCli(['list', '--in', 'no-such-collection'], {
      env: { INIT_CWD: work, npm_lifecycle_event: 'test' },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `no collection at ${pathToFileURL(join(root, 'no-such-collection')).href}`,
    );
  });
});
