import { createKeyWrapper } from '@sealstream/kms';
import { registerAwsKms } from '@sealstream/kms-aws';
import { registerAzureKms } from '@sealstream/kms-azure';
import { registerGcpKms } from '@sealstream/kms-gcp';
import { beforeAll, describe, expect, it } from 'vitest';

const V = '0123456789abcdef0123456789abcdef';
const SA = btoa(
  JSON.stringify({
    type: 'service_account',
    client_email: 'a@p.iam.gserviceaccount.com',
    private_key: 'k',
  }),
);

describe('cloud KMS providers in the @sealstream/kms registry', () => {
  beforeAll(() => {
    registerAwsKms();
    registerGcpKms();
    registerAzureKms();
    // Registering twice is harmless (same factory).
    registerAwsKms();
  });

  it('createKeyWrapper dispatches aws, gs and azure-kms URIs to their providers', async () => {
    const aws = await createKeyWrapper('aws:///alias/k?AUTH=implicit&REGION=us-east-1');
    expect([aws.scheme, aws.id]).toEqual(['aws', 'alias/k']);
    const gs = await createKeyWrapper(
      `gs:///projects/my-proj/locations/global/keyRings/r/cryptoKeys/k?AUTH=specified&CREDENTIALS=${SA}`,
    );
    expect([gs.scheme, gs.id]).toEqual([
      'gs',
      'projects/my-proj/locations/global/keyRings/r/cryptoKeys/k',
    ]);
    expect(gs.redactedUri).toContain('CREDENTIALS=redacted');
    const az = await createKeyWrapper(`azure-kms:///k/${V}?AUTH=implicit&AZURE_VAULT_NAME=myvault`);
    expect([az.scheme, az.id]).toEqual([
      'azure-kms',
      `https://myvault.vault.azure.net/keys/k/${V}`,
    ]);
  });

  it('rejects unknown parameters through the registry with ERR_KMS_BAD_URI', async () => {
    for (const uri of [
      'aws:///alias/k?AUTH=implicit&REGION=us-east-1&BUCKET=x',
      `gs:///projects/my-proj/locations/global/keyRings/r/cryptoKeys/k?AUTH=implicit&REGION=x`,
      `azure-kms:///k/${V}?AUTH=implicit&AZURE_VAULT_NAME=myvault&AZURE_ACCOUNT_NAME=x`,
    ]) {
      await expect(createKeyWrapper(uri)).rejects.toMatchObject({ code: 'ERR_KMS_BAD_URI' });
    }
  });

  it('refuses an entry from one cloud given to another cloud key as the wrong key', async () => {
    const aws = await createKeyWrapper('aws:///alias/k?AUTH=implicit&REGION=us-east-1');
    const az = await createKeyWrapper(`azure-kms:///k/${V}?AUTH=implicit&AZURE_VAULT_NAME=myvault`);
    const gsEntry = {
      scheme: 'gs',
      id: 'projects/my-proj/locations/global/keyRings/r/cryptoKeys/k',
      wrapped: new Uint8Array(64).fill(1),
    };
    expect(aws.matches(gsEntry)).toBe(false);
    expect(az.matches(gsEntry)).toBe(false);
    await expect(aws.unwrap(gsEntry)).rejects.toMatchObject({ code: 'ERR_KMS_WRONG_KEY' });
    await expect(az.unwrap(gsEntry)).rejects.toMatchObject({ code: 'ERR_KMS_WRONG_KEY' });
  });
});
