/**
 * AUTH=implicit: each provider takes its SDK's default credential chain. Here the chain is fed
 * through the standard environment variables (this test file runs in its own worker process).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsKeyWrapper } from '@sealstream/kms-aws';
import { azureKeyWrapper } from '@sealstream/kms-azure';
import { gcpKeyWrapper } from '@sealstream/kms-gcp';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startAwsKms } from '../../emulators/awsKms.ts';
import { startAzureKeyVault } from '../../emulators/azureKeyVault.ts';
import { startGcpKms } from '../../emulators/gcpKms.ts';

const saved = { ...process.env };
const dir = mkdtempSync(join(tmpdir(), 'sealstream-implicit-'));
const stops: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
  await Promise.all(stops.splice(0).map((s) => s()));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('AUTH=implicit uses the SDK default credential chain', () => {
  const dek = crypto.getRandomValues(new Uint8Array(32));

  it('aws: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY from the environment', async () => {
    const emu = await startAwsKms();
    stops.push(() => emu.stop());
    const { keyId } = emu.createKey();
    process.env.AWS_ACCESS_KEY_ID = emu.credentials.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = emu.credentials.secretAccessKey;
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    const w = awsKeyWrapper(
      `aws:///${keyId}?AUTH=implicit&REGION=${emu.region}&AWS_ENDPOINT=${encodeURIComponent(emu.url)}`,
    );
    expect(await w.unwrap(await w.wrap(dek))).toEqual(dek);
    process.env.AWS_SECRET_ACCESS_KEY = 'not-the-secret-0123456789';
    const denied = awsKeyWrapper(
      `aws:///${keyId}?AUTH=implicit&REGION=${emu.region}&AWS_ENDPOINT=${encodeURIComponent(emu.url)}`,
    );
    await expect(denied.wrap(dek)).rejects.toMatchObject({ code: 'ERR_KMS_ACCESS_DENIED' });
  });

  it('gs: GOOGLE_APPLICATION_CREDENTIALS names a service-account key file', async () => {
    const emu = await startGcpKms();
    stops.push(() => emu.stop());
    const key = emu.createKey();
    const file = join(dir, 'sa.json');
    writeFileSync(file, JSON.stringify(emu.serviceAccount), { mode: 0o600 });
    process.env.GOOGLE_APPLICATION_CREDENTIALS = file;
    process.env.METADATA_SERVER_DETECTION = 'none';
    const w = gcpKeyWrapper(
      `gs:///${key}?AUTH=implicit&GCP_ENDPOINT=${encodeURIComponent(emu.url)}`,
    );
    expect(await w.unwrap(await w.wrap(dek))).toEqual(dek);
  });

  it('azure-kms: AZURE_TENANT_ID / AZURE_CLIENT_ID / AZURE_CLIENT_SECRET from the environment (DefaultAzureCredential)', async () => {
    const emu = await startAzureKeyVault();
    stops.push(() => emu.stop());
    const k = emu.createKey();
    process.env.AZURE_TENANT_ID = emu.credentials.tenantId;
    process.env.AZURE_CLIENT_ID = emu.credentials.clientId;
    process.env.AZURE_CLIENT_SECRET = emu.credentials.clientSecret;
    const w = azureKeyWrapper(
      `azure-kms:///${k.name}/${k.version}?AUTH=implicit&AZURE_VAULT_URL=${encodeURIComponent(emu.vaultUrl)}&AZURE_AUTHORITY_HOST=${encodeURIComponent(emu.authorityHost)}`,
      { ca: emu.ca },
    );
    expect(await w.unwrap(await w.wrap(dek))).toEqual(dek);
    expect(emu.tokensIssued).toBeGreaterThan(0);
  });
});
