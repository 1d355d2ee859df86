/**
 * Keys are exactly what they say, through the `sealstream` CLI against the KMS emulators: every
 * name of an AWS key (key id, key ARN, alias, alias ARN) adds, removes, restores and passes the
 * incremental rule as that key and never as another key of its region; alter is idempotent;
 * entries have ids that list and remove without their key; a provider with no credentials is a
 * typed failure and the next key is tried; SEALSTREAM_PASSPHRASE never joins a KMS backup.
 */
import { randomBytes } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsKmsEmulator, startAwsKms } from '../../emulators/awsKms.ts';
import { type AzureKeyVaultEmulator, startAzureKeyVault } from '../../emulators/azureKeyVault.ts';
import { type GcpKmsEmulator, startGcpKms } from '../../emulators/gcpKms.ts';
import { kmsCli, ok, type Run } from './kmsCli.ts';

interface ListedKey {
  entryId: string;
  scheme: string;
  key: string;
  label?: string;
}

describe('CLI: keys matched by identity, named entries, idempotent alter', {
  timeout: 300_000,
}, () => {
  let work: string;
  let cli: ReturnType<typeof kmsCli>;
  let aws: AwsKmsEmulator;
  let gcp: GcpKmsEmulator;
  let k1: { keyId: string; arn: string };
  let k2: { keyId: string; arn: string };
  let az: AzureKeyVaultEmulator;
  let gsKey: string;
  let gsUri: string;
  let azKey: { name: string; version: string };
  let azUri: string;
  let src: string;
  let collections = 0;
  const awsUri = (key: string): string =>
    `aws:///${key}?AUTH=specified&REGION=${aws.region}&AWS_ACCESS_KEY_ID=${aws.credentials.accessKeyId}` +
    `&AWS_SECRET_ACCESS_KEY=${encodeURIComponent(aws.credentials.secretAccessKey)}&AWS_ENDPOINT=${encodeURIComponent(aws.url)}`;
  const aliasArn = (name: string): string =>
    `arn:aws:kms:${aws.region}:${aws.accountId}:alias/${name}`;
  const run = (...args: string[]): Promise<Run> => cli.run(args);
  const fresh = (): string => join(work, `collection-${++collections}`);
  const keysOf = async (coll: string): Promise<ListedKey[]> =>
    JSON.parse(ok(await run('keys', '--in', coll, '--json')).stdout).keys;
  const infoFiles = (coll: string): string[] => {
    const [year] = readdirSync(coll).filter((n) => /^\d{4}$/.test(n));
    const [monthDay] = readdirSync(join(coll, year as string));
    const [stamp] = readdirSync(join(coll, year as string, monthDay as string));
    return readdirSync(join(coll, year as string, monthDay as string, stamp as string))
      .filter((n) => n.startsWith('ENCRYPTION_INFO'))
      .sort();
  };
  const restores = async (coll: string, ...keyArgs: string[]): Promise<Run> => {
    const to = join(work, `restored-${randomBytes(4).toString('hex')}`);
    const r = await run('restore', 'LATEST', '--from', coll, '--to', to, ...keyArgs);
    if (r.code === 0) expect(readFileSync(join(to, 'a.txt'), 'utf8')).toBe('alpha\n');
    rmSync(to, { recursive: true, force: true });
    return r;
  };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'sealstream-cli-keys-'));
    [aws, gcp, az] = await Promise.all([startAwsKms(), startGcpKms(), startAzureKeyVault()]);
    const caFile = join(work, 'emulator-ca.pem');
    writeFileSync(caFile, az.ca);
    cli = kmsCli({ home: work, env: { NODE_EXTRA_CA_CERTS: caFile } });
    k1 = aws.createKey();
    k2 = aws.createKey();
    aws.createAlias('alias/backups', k1.keyId);
    aws.createAlias('alias/other', k2.keyId);
    gsKey = gcp.createKey();
    azKey = az.createKey();
    azUri =
      `azure-kms:///${azKey.name}/${azKey.version}?AZURE_TENANT_ID=${az.credentials.tenantId}&AZURE_CLIENT_ID=${az.credentials.clientId}` +
      `&AZURE_CLIENT_SECRET=${encodeURIComponent(az.credentials.clientSecret)}&AZURE_VAULT_URL=${encodeURIComponent(az.vaultUrl)}` +
      `&AZURE_AUTHORITY_HOST=${encodeURIComponent(az.authorityHost)}`;
    gsUri = `gs:///${gsKey}?AUTH=specified&CREDENTIALS=${encodeURIComponent(gcp.credentialsB64)}&GCP_ENDPOINT=${encodeURIComponent(gcp.url)}`;
    src = join(work, 'data');
    mkdirSync(src);
    writeFileSync(join(src, 'a.txt'), 'alpha\n');
  });

  afterAll(async () => {
    await Promise.all([aws?.stop(), gcp?.stop(), az?.stop()]);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('alter --remove-kms by alias removes that key only, never another key of its region', async () => {
    const coll = fresh();
    ok(
      await run(
        'backup',
        src,
        '--into',
        coll,
        '--kms',
        awsUri(k1.keyId),
        '--kms',
        awsUri(k2.keyId),
        '--kms',
        gsUri,
      ),
    );
    ok(
      await run(
        'alter',
        'LATEST',
        '--in',
        coll,
        '--old-kms',
        gsUri,
        '--remove-kms',
        awsUri('alias/other'),
      ),
    );
    expect((await keysOf(coll)).map((k) => k.key)).toEqual([k1.arn, gsKey]);
    ok(await restores(coll, '--kms', awsUri(k1.keyId)));
    const r = await restores(coll, '--kms', awsUri('alias/other'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ERR_BACKUP_NO_KEY');
  });

  for (const form of ['key id', 'key ARN', 'alias', 'alias ARN'] as const) {
    it(`names a key by its ${form}: incremental rule, add (once), restore, remove`, async () => {
      const name = {
        'key id': k2.keyId,
        'key ARN': k2.arn,
        alias: 'alias/other',
        'alias ARN': aliasArn('other'),
      }[form];
      const coll = fresh();
      ok(await run('backup', src, '--into', coll, '--kms', awsUri(k1.keyId), '--kms', gsUri));
      // Not a key of the chain yet: an incremental may not bring it in.
      const inc = await run(
        'backup',
        src,
        '--into',
        coll,
        '--incremental',
        '--kms',
        awsUri(name),
        '--kms',
        awsUri(k1.keyId),
      );
      expect(inc.code).toBe(1);
      expect(inc.stderr).toContain('ERR_BACKUP_NEW_KEY');
      // Added by this name: stored as the key ARN.
      const added = JSON.parse(
        ok(
          await run(
            'alter',
            'LATEST',
            '--in',
            coll,
            '--old-kms',
            gsUri,
            '--add-kms',
            awsUri(name),
            '--json',
          ),
        ).stdout,
      );
      expect(added).toMatchObject({ changed: true, generation: 2 });
      expect(added.added.map((k: ListedKey) => k.key)).toEqual([k2.arn]);
      // Adding it again, by this or another name, changes nothing and writes nothing.
      const files = infoFiles(coll);
      for (const again of [name, k2.arn, 'alias/other']) {
        const r = ok(
          await run('alter', 'LATEST', '--in', coll, '--kms', gsUri, '--add-kms', awsUri(again)),
        );
        expect(r.stdout).toContain('nothing changed');
      }
      expect(infoFiles(coll)).toEqual(files);
      // Restores by this name alone, with no spurious failure line for another key.
      const restored = ok(await restores(coll, '--kms', awsUri(name)));
      expect(restored.stderr).not.toContain('failed');
      ok(await run('backup', src, '--into', coll, '--incremental', '--kms', awsUri(name)));
      // Removed by this name: the other AWS key of the region stays and still opens the chain.
      ok(await run('alter', 'LATEST', '--in', coll, '--kms', gsUri, '--remove-kms', awsUri(name)));
      expect((await keysOf(coll)).map((k) => k.key)).toEqual([k1.arn, gsKey]);
      ok(await restores(coll, '--kms', awsUri('alias/backups')));
    });
  }

  it('stores a key given three times once', async () => {
    const coll = fresh();
    const uri = awsUri('alias/backups');
    ok(
      await run('backup', src, '--into', coll, '--kms', uri, '--kms', uri, '--kms', awsUri(k1.arn)),
    );
    expect(await keysOf(coll)).toHaveLength(1);
  });

  it('tells passphrase entries apart, and removes a passphrase or a lost key file by entry id', async () => {
    const coll = fresh();
    const pass1 = join(work, 'pass1');
    const pass2 = join(work, 'pass2');
    writeFileSync(pass1, 'first passphrase, long enough\n', { mode: 0o600 });
    writeFileSync(pass2, 'second passphrase, long enough\n', { mode: 0o600 });
    const lost = join(work, 'lost.key');
    ok(await run('keygen', '--out', lost));
    ok(
      await run(
        'backup',
        src,
        '--into',
        coll,
        '--passphrase-file',
        pass1,
        '--kdf',
        'pbkdf2',
        '--kms',
        `local-kms://${lost}`,
        '--kms',
        awsUri(k1.keyId),
      ),
    );
    ok(
      await run(
        'alter',
        '--in',
        coll,
        '--kms',
        awsUri(k1.keyId),
        '--add-passphrase-file',
        pass2,
        '--kdf',
        'pbkdf2',
        '--label',
        'office safe',
      ),
    );
    const listed = await keysOf(coll);
    expect(listed.map((k) => [k.scheme, k.label ?? ''])).toEqual([
      ['local-kms', ''],
      ['aws', ''],
      ['passphrase', ''],
      ['passphrase', 'office safe'],
    ]);
    const human = ok(await run('keys', '--in', coll)).stdout;
    for (const k of listed) expect(human).toContain(k.entryId);
    expect(human).toContain('office safe');
    // A passphrase is not a KMS URI: the message says how to remove one.
    const asUri = await run(
      'alter',
      '--in',
      coll,
      '--kms',
      awsUri(k1.keyId),
      '--remove-kms',
      'passphrase:',
    );
    expect(asUri.code).toBe(2);
    expect(asUri.stderr).toContain('--remove-key');
    const [lostEntry, , first] = listed as [ListedKey, ListedKey, ListedKey];
    ok(await run('alter', '--in', coll, '--kms', awsUri(k1.keyId), '--remove-key', first.entryId));
    expect((await restores(coll, '--passphrase-file', pass1)).code).toBe(1);
    ok(await restores(coll, '--passphrase-file', pass2));
    // A key file that is gone cannot be named by its URI, but its entry can be removed by id.
    unlinkSync(lost);
    const byUri = await run(
      'alter',
      '--in',
      coll,
      '--kms',
      awsUri(k1.keyId),
      '--remove-kms',
      `local-kms://${lost}`,
    );
    expect(byUri.code).toBe(1);
    expect(byUri.stderr).toContain('--remove-key');
    ok(
      await run(
        'alter',
        '--in',
        coll,
        '--kms',
        awsUri(k1.keyId),
        '--remove-key',
        lostEntry.entryId,
      ),
    );
    expect((await keysOf(coll)).map((k) => k.scheme)).toEqual(['aws', 'passphrase']);
    const unknown = await run(
      'alter',
      '--in',
      coll,
      '--kms',
      awsUri(k1.keyId),
      '--remove-key',
      '00000000',
    );
    expect(unknown.stderr).toContain('ERR_BACKUP_NOT_FOUND');
  });

  it('never lets SEALSTREAM_PASSPHRASE join or break a KMS backup, and says it was not used', async () => {
    const coll = fresh();
    const env = { SEALSTREAM_PASSPHRASE: 'from the environment, not asked for' };
    const full = ok(await cli.run(['backup', src, '--into', coll, '--kms', awsUri(k1.keyId)], env));
    expect(full.stderr).toContain('SEALSTREAM_PASSPHRASE is set but not used');
    expect((await keysOf(coll)).map((k) => k.scheme)).toEqual(['aws']);
    ok(
      await cli.run(
        ['backup', src, '--into', coll, '--incremental', '--kms', awsUri(k1.keyId)],
        env,
      ),
    );
    // With no key named, the environment's passphrase is the key, as before.
    const passColl = fresh();
    ok(await cli.run(['backup', src, '--into', passColl, '--kdf', 'pbkdf2'], env));
    expect((await keysOf(passColl)).map((k) => k.scheme)).toEqual(['passphrase']);
  });

  describe('a provider with no credentials in the environment fails typed, and the next key is tried', () => {
    const cases: Record<string, () => string> = {
      aws: () =>
        `aws:///${k1.keyId}?AUTH=implicit&REGION=${aws.region}&AWS_ENDPOINT=${encodeURIComponent(aws.url)}`,
      gs: () => `gs:///${gsKey}?AUTH=implicit&GCP_ENDPOINT=${encodeURIComponent(gcp.url)}`,
      'azure-kms': () =>
        `azure-kms:///${azKey.name}/${azKey.version}?AUTH=implicit&AZURE_VAULT_URL=${encodeURIComponent(az.vaultUrl)}` +
        `&AZURE_AUTHORITY_HOST=${encodeURIComponent(az.authorityHost)}`,
    };
    let coll: string;
    beforeAll(async () => {
      coll = fresh();
      ok(
        await run(
          'backup',
          src,
          '--into',
          coll,
          '--kms',
          awsUri(k1.keyId),
          '--kms',
          gsUri,
          '--kms',
          azUri,
        ),
      );
    });
    for (const [scheme, uriOf] of Object.entries(cases)) {
      it(scheme, async () => {
        const uri = uriOf();
        const restored = ok(await restores(coll, '--kms', uri, '--kms', awsUri(k1.arn)));
        expect(restored.stderr).toMatch(
          new RegExp(`key ${scheme}:///\\S+ failed \\(ERR_KMS_(ACCESS_DENIED|UNAVAILABLE)\\)`),
        );
        const backup = await run('backup', src, '--into', fresh(), '--kms', uri);
        expect(backup.code).toBe(1);
        expect(backup.stderr).toMatch(
          /^sealstream backup: ERR_KMS_WRAP_FAILED: .*ERR_KMS_(ACCESS_DENIED|UNAVAILABLE)/m,
        );
        expect(backup.stderr).not.toMatch(/\n\s+at /); // no stack trace
      });
    }
  });
});
