import {
  chmodSync,
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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliOk, describeTree, runCli } from './runCli.ts';

const work = mkdtempSync(join(tmpdir(), 'sealstream-cli-keys-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const src = join(work, 'src');
const collection = join(work, 'collection');
const key = (n: string) => `local-kms://${join(work, `${n}.key`)}`;

beforeAll(async () => {
  mkdirSync(src);
  writeFileSync(join(src, 'a.txt'), 'alpha');
  for (const n of ['k1', 'k2', 'k3', 'k4', 'foreign']) {
    const r = await cliOk(['keygen', '--out', join(work, `${n}.key`), '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, uri: key(n) });
    expect(statSync(join(work, `${n}.key`)).mode & 0o777).toBe(0o600);
  }
}, 120_000);

describe('multi-key backups through the CLI', () => {
  it('keygen never overwrites a key file', async () => {
    const before = readFileSync(join(work, 'k1.key'));
    const r = await runCli(['keygen', '--out', join(work, 'k1.key')]);
    expect(r.code).toBe(1);
    expect(readFileSync(join(work, 'k1.key'))).toEqual(before);
  });

  it('follows CockroachDB: any one key restores, incrementals use a subset and no new key, alter adds keys', async () => {
    await cliOk([
      'backup',
      src,
      '--into',
      collection,
      '--kms',
      key('k1'),
      '--kms',
      key('k2'),
      '--kms',
      key('k3'),
    ]);
    for (const k of ['k1', 'k2', 'k3']) {
      const out = join(work, `out-${k}`);
      await cliOk(['restore', '--from', collection, '--to', out, '--kms', key(k)]);
      expect(describeTree(out)).toEqual(describeTree(src));
    }
    // An incremental with a subset of the keys works.
    writeFileSync(join(src, 'b.txt'), 'beta');
    await cliOk(['backup', src, '--into', collection, '--incremental', '--kms', key('k2')]);
    // One with a key the full backup does not have fails, naming the key and the rule.
    writeFileSync(join(src, 'c.txt'), 'gamma');
    const bad = await runCli([
      'backup',
      src,
      '--into',
      collection,
      '--incremental',
      '--kms',
      key('k1'),
      '--kms',
      key('foreign'),
      '--json',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('ERR_BACKUP_NEW_KEY');
    expect(bad.stderr).toContain('foreign.key');
    expect(JSON.parse(bad.stdout)).toMatchObject({
      ok: false,
      error: { code: 'ERR_BACKUP_NEW_KEY' },
    });
    // A key that is not one of the backup's cannot restore it.
    const denied = await runCli([
      'restore',
      '--from',
      collection,
      '--to',
      join(work, 'denied'),
      '--kms',
      key('k4'),
    ]);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain('ERR_BACKUP_NO_KEY');
    // alter adds k4 (using k3), which then opens the whole chain: the full backup and the incremental.
    const alt = await cliOk([
      'alter',
      'LATEST',
      '--in',
      collection,
      '--old-kms',
      key('k3'),
      '--add-kms',
      key('k4'),
      '--json',
    ]);
    expect(JSON.parse(alt.stdout)).toMatchObject({ ok: true, generation: 2 });
    const layers = JSON.parse((await cliOk(['list', '--in', collection, '--json'])).stdout).backups;
    expect(layers.map((l: { type: string }) => l.type)).toEqual(['full', 'incremental']);
    for (const l of layers) {
      const out = join(work, `as-of-${l.type}`);
      await cliOk([
        'restore',
        '--from',
        collection,
        '--to',
        out,
        '--as-of',
        l.id,
        '--kms',
        key('k4'),
      ]);
      expect(readdirSync(out).sort()).toEqual(l.type === 'full' ? ['a.txt'] : ['a.txt', 'b.txt']);
    }
    // And k4 is accepted for new incrementals.
    await cliOk(['backup', src, '--into', collection, '--incremental', '--kms', key('k4')]);
  }, 180_000);

  it('removes keys while one remains and refuses to remove the last', async () => {
    const c = join(work, 'remove');
    await cliOk(['backup', src, '--into', c, '--kms', key('k1'), '--kms', key('k2')]);
    await cliOk(['alter', '--in', c, '--old-kms', key('k1'), '--remove-kms', key('k2')]);
    const gone = await runCli(['show', '--in', c, '--kms', key('k2')]);
    expect(gone.code).toBe(1);
    const last = await runCli([
      'alter',
      '--in',
      c,
      '--old-kms',
      key('k1'),
      '--remove-kms',
      key('k1'),
      '--json',
    ]);
    expect(last.code).toBe(1);
    expect(JSON.parse(last.stdout).error.code).toBe('ERR_BACKUP_LAST_KEY');
    await cliOk(['verify', '--in', c, '--kms', key('k1')]);
  }, 120_000);

  it('refuses a key file that others can read', async () => {
    const loose = join(work, 'loose.key');
    await cliOk(['keygen', '--out', loose]);
    chmodSync(loose, 0o644);
    const r = await runCli([
      'backup',
      src,
      '--into',
      join(work, 'loose'),
      '--kms',
      `local-kms://${loose}`,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ERR_KMS_INSECURE_KEY_FILE');
    expect(readdirSync(work)).not.toContain('loose');
  });

  it('refuses a passphrase file that others can read, saying chmod 600', async () => {
    const loose = join(work, 'loose-pass');
    writeFileSync(loose, 'a passphrase others could read\n', { mode: 0o600 });
    for (const mode of [0o644, 0o640, 0o604]) {
      chmodSync(loose, mode);
      const r = await runCli([
        'backup',
        src,
        '--into',
        join(work, 'loose-pass-c'),
        '--passphrase-file',
        loose,
        '--json',
      ]);
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout).error.code).toBe('ERR_CLI_INSECURE_PASSPHRASE_FILE');
      expect(r.stderr).toContain(`chmod 600 ${loose}`);
      expect(r.stderr).not.toContain('a passphrase others could read');
      expect(readdirSync(work)).not.toContain('loose-pass-c');
    }
    chmodSync(loose, 0o400);
    await cliOk([
      'backup',
      src,
      '--into',
      join(work, 'loose-pass-c'),
      '--passphrase-file',
      loose,
      '--kdf',
      'pbkdf2',
    ]);
  }, 120_000);

  it('gives usage errors exit status 2 with a clear message', async () => {
    const r = await runCli(['backup', src, '--into', join(work, 'u')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no key');
    const bad = await runCli(['restore', '--from', collection, '--bogus']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bogus/);
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(2);
  });

  it('alter --remove-kms is not revocation; rekey is: a saved entry opens the old chain, never the new', async () => {
    const coll = join(work, 'revoke');
    const leaked = join(work, 'leaked-entry');
    await cliOk(['backup', src, '--into', coll, '--kms', key('k1'), '--kms', key('k4')]);
    const first = JSON.parse((await cliOk(['keys', '--in', coll, '--json'])).stdout).full as string;
    // The holder of k4 keeps a copy of the chain's key envelope, then loses k4's entry.
    writeFileSync(leaked, readFileSync(join(coll, first, 'ENCRYPTION_INFO')));
    await cliOk(['alter', '--in', coll, '--kms', key('k1'), '--remove-kms', key('k4')]);
    writeFileSync(join(src, 'later.txt'), 'written after k4 was removed');
    await cliOk(['backup', src, '--into', coll, '--incremental', '--kms', key('k1')]);
    const denied = await runCli([
      'restore',
      '--from',
      coll,
      '--to',
      join(work, 'r-denied'),
      '--kms',
      key('k4'),
    ]);
    expect(denied.code).toBe(1);
    // Not revocation: with the saved envelope put back in place of the newer generations (it is
    // authentic: a key holder wrote it), k4 opens every layer, the later one too.
    const planted = (full: string) => {
      for (const name of readdirSync(join(coll, full)))
        if (name.startsWith('ENCRYPTION_INFO')) rmSync(join(coll, full, name));
      writeFileSync(join(coll, full, 'ENCRYPTION_INFO'), readFileSync(leaked));
    };
    planted(first);
    await cliOk(['restore', '--from', coll, '--to', join(work, 'r-leak'), '--kms', key('k4')]);
    expect(readFileSync(join(work, 'r-leak', 'later.txt'), 'utf8')).toBe(
      'written after k4 was removed',
    );
    // rekey re-encrypts the chain under a new data key for k1 only and deletes the old chain.
    const r = JSON.parse(
      (
        await cliOk([
          'rekey',
          '--in',
          coll,
          '--kms',
          key('k1'),
          '--new-kms',
          key('k1'),
          '--delete-old',
          '--json',
        ])
      ).stdout,
    );
    expect(r).toMatchObject({ ok: true, from: first, latest: true, deletedOld: true });
    expect(r.layers).toHaveLength(2);
    const listed = JSON.parse((await cliOk(['list', '--in', coll, '--json'])).stdout).backups;
    expect(
      listed.map((b: { id: string }) => b.id).filter((id: string) => id.startsWith(first)),
    ).toEqual([]);
    const out = join(work, 'r-rekeyed');
    await cliOk(['restore', '--from', coll, '--to', out, '--kms', key('k1')]);
    expect(describeTree(out)).toEqual(describeTree(src));
    // The saved envelope, planted in the new chain, opens nothing there.
    planted(r.to);
    const after = await runCli([
      'restore',
      '--from',
      coll,
      '--to',
      join(work, 'r-after'),
      '--kms',
      key('k4'),
    ]);
    expect(after.code).toBe(1);
    expect(after.stderr).toMatch(/sealstream restore: ERR_/);
  });
});
