/**
 * End to end through the `sealstream` CLI (spawned as a child process, as a user runs it) with
 * one key in each cloud KMS — each its loopback emulator driven by the unmodified SDK — plus a
 * passphrase: restore with any one key, fail-over with two of three clouds down, incremental
 * key rules, alter adding an Azure key to an AWS-only chain, wrong credentials, and a grep of every
 * file and all output for every secret used.
 */
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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsKmsEmulator, startAwsKms } from '../../emulators/awsKms.ts';
import { type AzureKeyVaultEmulator, startAzureKeyVault } from '../../emulators/azureKeyVault.ts';
import { type GcpKmsEmulator, startGcpKms } from '../../emulators/gcpKms.ts';
import { kmsCli, ok, type Run } from './kmsCli.ts';

let work: string;
let caFile: string;
let cli: ReturnType<typeof kmsCli>;
const sealstream = (...args: string[]): Promise<Run> => cli.run(args);

function tree(dir: string, base = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const rel = base ? `${base}/${name}` : name;
    if (statSync(p).isDirectory()) Object.assign(out, tree(p, rel));
    else out[rel] = readFileSync(p).toString('base64');
  }
  return out;
}

function allFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...allFiles(p));
    else out.push(p);
  }
  return out;
}

describe('CLI with cloud KMS keys (AWS, GCP, Azure emulators) and a passphrase', {
  timeout: 240_000,
}, () => {
  let aws: AwsKmsEmulator;
  let gcp: GcpKmsEmulator;
  let az: AzureKeyVaultEmulator;
  let awsUri: string;
  let awsForeignUri: string;
  let awsWrongSecretUri: string;
  let gsUri: string;
  let azUri: string;
  let passFile: string;
  let src: string;
  let coll: string;
  const wrongSecret = `wrong-${randomBytes(12).toString('hex')}`;
  let restores = 0;

  const restoreWith = async (...keyArgs: string[]): Promise<Run> => {
    const to = join(work, `restored-${++restores}`);
    const r = await sealstream('restore', 'LATEST', '--from', coll, '--to', to, ...keyArgs);
    if (r.code === 0) expect(tree(to)).toEqual(tree(src));
    return r;
  };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'sealstream-cli-kms-'));
    [aws, gcp, az] = await Promise.all([startAwsKms(), startGcpKms(), startAzureKeyVault()]);
    caFile = join(work, 'emulator-ca.pem');
    writeFileSync(caFile, az.ca);
    cli = kmsCli({ home: work, env: { NODE_EXTRA_CA_CERTS: caFile } });
    const awsParams = (secret: string) =>
      `AUTH=specified&REGION=${aws.region}&AWS_ACCESS_KEY_ID=${aws.credentials.accessKeyId}` +
      `&AWS_SECRET_ACCESS_KEY=${encodeURIComponent(secret)}&AWS_ENDPOINT=${encodeURIComponent(aws.url)}`;
    const k = aws.createKey();
    aws.createAlias('alias/backups', k.keyId);
    awsUri = `aws:///alias/backups?${awsParams(aws.credentials.secretAccessKey)}`;
    awsForeignUri = `aws:///${aws.createKey().keyId}?${awsParams(aws.credentials.secretAccessKey)}`;
    awsWrongSecretUri = `aws:///alias/backups?${awsParams(wrongSecret)}`;
    gsUri = `gs:///${gcp.createKey()}?AUTH=specified&CREDENTIALS=${encodeURIComponent(gcp.credentialsB64)}&GCP_ENDPOINT=${encodeURIComponent(gcp.url)}`;
    const ak = az.createKey();
    azUri =
      `azure-kms:///${ak.name}/${ak.version}?AZURE_TENANT_ID=${az.credentials.tenantId}&AZURE_CLIENT_ID=${az.credentials.clientId}` +
      `&AZURE_CLIENT_SECRET=${encodeURIComponent(az.credentials.clientSecret)}&AZURE_VAULT_URL=${encodeURIComponent(az.vaultUrl)}` +
      `&AZURE_AUTHORITY_HOST=${encodeURIComponent(az.authorityHost)}`;
    passFile = join(work, 'passphrase');
    writeFileSync(passFile, `${randomBytes(18).toString('base64')}\n`, { mode: 0o600 });
    src = join(work, 'data');
    mkdirSync(join(src, 'sub'), { recursive: true });
    writeFileSync(join(src, 'a.txt'), 'alpha\n');
    writeFileSync(join(src, 'sub/b.bin'), randomBytes(200_000));
    coll = join(work, 'collection');
    ok(
      await sealstream(
        'backup',
        src,
        '--into',
        coll,
        '--kms',
        awsUri,
        '--kms',
        gsUri,
        '--kms',
        azUri,
        '--passphrase-file',
        passFile,
      ),
    );
  });

  afterAll(async () => {
    await Promise.all([aws?.stop(), gcp?.stop(), az?.stop()]);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('restores with the AWS key alone', async () => {
    ok(await restoreWith('--kms', awsUri));
  });

  it('restores with the Google Cloud key alone', async () => {
    ok(await restoreWith('--kms', gsUri));
  });

  it('restores with the Azure key alone', async () => {
    ok(await restoreWith('--kms', azUri));
  });

  it('restores with the passphrase alone', async () => {
    ok(await restoreWith('--passphrase-file', passFile));
  });

  it('restores with two of the three clouds down, and names the ones that failed', async () => {
    await gcp.setDown(true);
    await az.setDown(true);
    try {
      const r = ok(await restoreWith('--kms', gsUri, '--kms', azUri, '--kms', awsUri));
      // Bounded fail-over: the dead providers are given up on in seconds, not the SDKs' minute.
      expect(r.ms).toBeLessThan(60_000);
      const text = r.stdout + r.stderr;
      expect(text).toMatch(/gs:\/\/\/\S+ failed \(ERR_KMS_UNAVAILABLE\)/);
      expect(text).toMatch(/azure-kms:\/\/\/\S+ failed \(ERR_KMS_UNAVAILABLE\)/);
      expect(text).toContain('CREDENTIALS=redacted');
    } finally {
      await gcp.setDown(false);
      await az.setDown(false);
    }
  });

  it('fails a restore when every given key is unreachable, naming each', async () => {
    await gcp.setDown(true);
    await az.setDown(true);
    try {
      const r = await restoreWith('--kms', gsUri, '--kms', azUri);
      expect(r.code).not.toBe(0);
      const text = r.stderr + r.stdout;
      expect(text).toMatch(/gs:\/\/\/\S+ → ERR_KMS_UNAVAILABLE/);
      expect(text).toMatch(/azure-kms:\/\/\/\S+ → ERR_KMS_UNAVAILABLE/);
    } finally {
      await gcp.setDown(false);
      await az.setDown(false);
    }
  });

  it('refuses wrong AWS credentials with a clear error that holds no secret', async () => {
    const r = await restoreWith('--kms', awsWrongSecretUri);
    expect(r.code).not.toBe(0);
    const text = r.stdout + r.stderr;
    expect(text).toContain('ERR_KMS_ACCESS_DENIED');
    expect(text).toContain('InvalidSignatureException');
    expect(text).toContain('AWS_SECRET_ACCESS_KEY=redacted');
    expect(text).not.toContain(wrongSecret);
  });

  it('takes an incremental with a subset of the keys, and refuses one with a foreign key', async () => {
    writeFileSync(join(src, 'c.txt'), 'added for the incremental\n');
    ok(await sealstream('backup', src, '--into', coll, '--incremental', '--kms', gsUri));
    const foreign = await sealstream(
      'backup',
      src,
      '--into',
      coll,
      '--incremental',
      '--kms',
      awsForeignUri,
    );
    expect(foreign.code).not.toBe(0);
    expect(foreign.stderr).toContain('ERR_BACKUP_NEW_KEY');
    const withForeign = await sealstream(
      'backup',
      src,
      '--into',
      coll,
      '--incremental',
      '--kms',
      awsUri,
      '--kms',
      awsForeignUri,
    );
    expect(withForeign.code).not.toBe(0);
    expect(withForeign.stderr).toContain('ERR_BACKUP_NEW_KEY');
    ok(await restoreWith('--kms', azUri));
  });

  it('alter adds an Azure key to an AWS-only chain, which then restores with the Azure key alone', async () => {
    const coll2 = join(work, 'collection-aws-only');
    const to1 = join(work, 'alter-before');
    ok(await sealstream('backup', src, '--into', coll2, '--kms', awsUri));
    writeFileSync(join(src, 'd.txt'), 'second layer\n');
    ok(await sealstream('backup', src, '--into', coll2, '--incremental', '--kms', awsUri));
    const before = await sealstream(
      'restore',
      'LATEST',
      '--from',
      coll2,
      '--to',
      to1,
      '--kms',
      azUri,
    );
    expect(before.code).not.toBe(0);
    expect(before.stderr).toContain('ERR_KMS_WRONG_KEY');
    ok(await sealstream('alter', 'LATEST', '--in', coll2, '--old-kms', awsUri, '--add-kms', azUri));
    const to2 = join(work, 'alter-after');
    ok(await sealstream('restore', 'LATEST', '--from', coll2, '--to', to2, '--kms', azUri));
    expect(tree(to2)).toEqual(tree(src));
  });

  it('leaves no secret in any file of the collections or in any output', () => {
    const secrets = [
      aws.credentials.secretAccessKey,
      encodeURIComponent(aws.credentials.secretAccessKey),
      wrongSecret,
      gcp.credentialsB64,
      encodeURIComponent(gcp.credentialsB64),
      gcp.serviceAccount.private_key.split('\n')[3] as string,
      az.credentials.clientSecret,
      encodeURIComponent(az.credentials.clientSecret),
      readFileSync(passFile, 'utf8').trim(),
    ];
    const files = allFiles(work).filter(
      (f) =>
        !f.startsWith(join(work, 'data')) &&
        f !== passFile &&
        !f.includes('restored') &&
        !f.includes('alter-'),
    );
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const text = readFileSync(f).toString('latin1');
      for (const s of secrets) expect(text.includes(s), `${f} contains a secret`).toBe(false);
    }
    expect(cli.outputs.length).toBeGreaterThan(10);
    for (const o of cli.outputs)
      for (const s of secrets) expect(o.includes(s), 'CLI output contains a secret').toBe(false);
  });
});
