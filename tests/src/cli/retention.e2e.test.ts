import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cliOk, runCli } from './runCli.ts';

const work = mkdtempSync(join(tmpdir(), 'sealstream-retention-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const pass = join(work, 'pass');
writeFileSync(pass, 'retention e2e\n', { mode: 0o600 });
const key = ['--passphrase-file', pass, '--kdf', 'pbkdf2'];
const root = fileURLToPath(new URL('../../..', import.meta.url));

function filesUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

const json = async (args: string[]) => JSON.parse((await cliOk([...args, '--json'])).stdout);

describe('sealstream forget and prune', () => {
  it('forget keeps whole chains and LATEST; --dry-run deletes nothing', async () => {
    const c = join(work, 'forget');
    const src = join(work, 'src');
    mkdirSync(src);
    writeFileSync(join(src, 'a.txt'), 'one');
    await cliOk(['backup', src, '--into', c, ...key]);
    writeFileSync(join(src, 'a.txt'), 'two, longer');
    await cliOk(['backup', src, '--into', c, ...key, '--incremental']);
    await cliOk(['backup', src, '--into', c, ...key]);
    const before = (await json(['list', '--in', c])).backups as { id: string; full: string }[];
    expect(before.map((b) => b.id === b.full)).toEqual([true, false, true]);
    const [old, newest] = [before[0]?.full, before[2]?.full];

    const usage = await runCli(['forget', '--in', c]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/forget needs a policy/);
    expect((await runCli(['forget', '--in', c, '--keep-last', 'x'])).code).toBe(2);

    const dry = await cliOk(['forget', '--in', c, '--keep-last', '1', '--dry-run']);
    expect(dry.stdout).toMatch(/keep 1 chain:/);
    expect(dry.stdout).toMatch(/remove 1 chain:/);
    expect(dry.stdout).toMatch(/latest, last/);
    expect(dry.stdout).toMatch(/would remove 1 chain \(2 layers\); nothing deleted/);
    expect((await json(['list', '--in', c])).backups).toHaveLength(3);

    const r = await json(['forget', '--in', c, '--keep-last', '1']);
    expect(r).toMatchObject({ ok: true, command: 'forget', dryRun: false, removed: [old] });
    expect(r.chains.map((x: { full: string; keep: boolean }) => [x.full, x.keep])).toEqual([
      [newest, true],
      [old, false],
    ]);
    expect((await json(['list', '--in', c])).backups.map((b: { id: string }) => b.id)).toEqual([
      newest,
    ]);
    expect(filesUnder(c).filter((f) => f.includes(old as string))).toEqual([]);
    const out = join(work, 'restored');
    await cliOk(['restore', '--from', c, '--to', out, ...key.slice(0, 2)]);
  }, 120_000);

  it('prune leaves a running backup alone and deletes an old leftover', async () => {
    const c = join(work, 'prune');
    // A backup from stdin that has written a pack (16 MiB) but not its snapshot: still running.
    const child = spawn(
      process.execPath,
      [
        '--conditions=@sealstream/source',
        '--import',
        'tsx',
        join(root, 'packages/cli/src/bin.ts'),
        'backup',
        '-',
        '--into',
        c,
        ...key,
      ],
      { cwd: root, env: { ...process.env, SEALSTREAM_PASSPHRASE: '' }, stdio: 'pipe' },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdin.write(randomBytes(20 * 1024 * 1024));
    for (let i = 0; i < 600; i++) {
      const files = (() => {
        try {
          return filesUnder(c);
        } catch {
          return [];
        }
      })();
      if (files.some((f) => f.includes('/packs/'))) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const running = filesUnder(c);
    expect(running.some((f) => f.includes('/packs/'))).toBe(true);
    expect(running.some((f) => f.endsWith('/SNAPSHOT'))).toBe(false);

    const during = await json(['prune', '--in', c]);
    expect(during).toMatchObject({ ok: true, command: 'prune', removed: { files: 0, bytes: 0 } });
    expect(during.items).toMatchObject([{ kind: 'unfinished-chain', remove: false }]);
    // Nothing the backup wrote is gone. (Its temporary files, `.<name>.tmp-<16 hex>`, come and
    // go as it writes: a pack written if absent is linked to its name, then its temporary unlinked.)
    const kept = new Set(filesUnder(c));
    for (const f of running.filter((f) => !/\/\.[^/]+\.tmp-[0-9a-f]{16}$/.test(f)))
      expect(kept.has(f), f).toBe(true);

    child.stdin.end(randomBytes(1024));
    expect(await exited, stderr).toBe(0);
    const [committed] = (await json(['list', '--in', c])).backups as { id: string }[];

    // An old leftover: a chain directory without SNAPSHOT whose files are two days old.
    const leftover = join(c, '2026/01/02-030405.06');
    mkdirSync(join(leftover, 'packs/ab'), { recursive: true });
    writeFileSync(join(leftover, 'ENCRYPTION_INFO'), '{}');
    writeFileSync(join(leftover, 'packs/ab', 'ab'.repeat(16)), randomBytes(100));
    const old = new Date(Date.now() - 48 * 3600 * 1000);
    for (const f of filesUnder(leftover)) utimesSync(f, old, old);

    const dry = await cliOk(['prune', '--in', c, '--dry-run']);
    expect(dry.stdout).toMatch(/would remove\s+unfinished-chain\s+2026\/01\/02-030405\.06/);
    expect(dry.stdout).toMatch(/nothing deleted \(--dry-run\)/);
    expect(filesUnder(leftover)).toHaveLength(2);
    const young = await json(['prune', '--in', c, '--min-age', '3d']);
    expect(young.items).toMatchObject([{ remove: false }]);

    const r = await json(['prune', '--in', c, ...key.slice(0, 2)]);
    expect(r.items).toMatchObject([
      { kind: 'unfinished-chain', id: '2026/01/02-030405.06', files: 2, remove: true },
    ]);
    expect(r.unchecked).toEqual([]);
    expect(filesUnder(c).some((f) => f.includes('2026/01/02-030405.06'))).toBe(false);
    await cliOk(['verify', '--in', c, ...key.slice(0, 2)]);
    expect((await json(['list', '--in', c])).backups).toEqual([committed]);
  }, 120_000);
});
