import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeTree, NOBODY, runCli } from './runCli.ts';

// Run as `nobody` when the tests run as root: root reads everything, so permissions would not
// stop it. Everything the CLI needs (the repository, the temporary folder) is readable by all.
const work = mkdtempSync(join(tmpdir(), 'sealstream-partial-'));
chmodSync(work, 0o777);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('a backup with paths it cannot read', () => {
  it('names each, leaves them out, commits the rest and exits 3; --json lists them', async () => {
    const src = join(work, 'src');
    mkdirSync(join(src, 'open'), { recursive: true });
    mkdirSync(join(src, 'locked'));
    writeFileSync(join(src, 'open', 'a.txt'), 'readable');
    writeFileSync(join(src, 'locked', 'inside.txt'), 'never read');
    writeFileSync(join(src, 'secret.txt'), 'never read either');
    writeFileSync(join(src, 'z.txt'), 'last');
    writeFileSync(join(work, 'pass'), 'partial failures\n', { mode: 0o600 });
    for (const d of [src, join(src, 'open')]) chmodSync(d, 0o755);
    chmodSync(join(src, 'locked'), 0o000);
    chmodSync(join(src, 'secret.txt'), 0o000);
    const pass = join(work, 'pass');
    // The passphrase file (0600) must belong to the user running the CLI.
    const asUser = process.getuid?.() === 0 ? NOBODY : undefined;
    if (asUser !== undefined) chownSync(pass, NOBODY, NOBODY);
    const c = join(work, 'c');
    const common = { ...(asUser === undefined ? {} : { asUser }) };
    const r = await runCli(
      ['backup', src, '--into', c, '--passphrase-file', pass, '--kdf', 'pbkdf2', '--json'],
      common,
    );
    expect(r.code, r.stderr).toBe(3);
    const out = JSON.parse(r.stdout);
    expect(out.ok).toBe(true);
    expect(out.skipped.map((s: { path: string }) => s.path).sort()).toEqual([
      join(src, 'locked'),
      'secret.txt',
    ]);
    expect(r.stderr).toContain('locked');
    expect(r.stderr).toContain('secret.txt');
    // The rest is committed and restores; the unreadable directory is there, empty.
    const to = join(work, 'out');
    const restored = await runCli(
      ['restore', '--from', c, '--to', to, '--passphrase-file', pass],
      common,
    );
    expect(restored.code, restored.stderr).toBe(0);
    const tree = describeTree(to);
    expect(Object.keys(tree).sort()).toEqual(['locked', 'open', 'open/a.txt', 'z.txt']);
    chmodSync(join(src, 'locked'), 0o755);
  }, 120_000);
});
