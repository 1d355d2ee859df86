import { describe, expect, it } from 'vitest';
import { parseAzureKmsUri, redactAzureKmsUri } from './azureKmsUri.ts';

const V = '0123456789abcdef0123456789abcdef';
const SECRET = 'Abc8Q~verySecretValue_0123456789';
const creds = `AZURE_TENANT_ID=t-1&AZURE_CLIENT_ID=c-1&AZURE_CLIENT_SECRET=${encodeURIComponent(SECRET)}`;

function badUri(uri: string): { code: string; message: string } {
  try {
    parseAzureKmsUri(uri);
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error(`accepted ${uri}`);
}

describe('parseAzureKmsUri', () => {
  it('parses the documented forms', () => {
    const c = parseAzureKmsUri(`azure-kms:///backup/${V}?${creds}&AZURE_VAULT_NAME=MyVault`);
    expect(c).toMatchObject({
      keyName: 'backup',
      keyVersion: V,
      vaultUrl: 'https://myvault.vault.azure.net',
      customVault: false,
      auth: 'specified',
      credentials: { tenantId: 't-1', clientId: 'c-1', clientSecret: SECRET },
      kid: `https://myvault.vault.azure.net/keys/backup/${V}`,
    });
    const i = parseAzureKmsUri(`azure-kms:///backup/${V}?AUTH=implicit&AZURE_VAULT_NAME=myvault`);
    expect(i.credentials).toBeUndefined();
    expect(
      parseAzureKmsUri(`azure-kms:///backup/${V}?AUTH=Implicit&AZURE_VAULT_NAME=myvault`).auth,
    ).toBe('implicit');
    const e = parseAzureKmsUri(
      `azure-kms:///backup/${V}?${creds}&AZURE_VAULT_URL=https%3A%2F%2F127.0.0.1%3A8443&AZURE_AUTHORITY_HOST=https%3A%2F%2F127.0.0.1%3A9443`,
    );
    expect(e).toMatchObject({
      vaultUrl: 'https://127.0.0.1:8443',
      customVault: true,
      authorityHost: 'https://127.0.0.1:9443',
    });
  });

  it('rejects malformed URIs, missing and unknown parameters with ERR_KMS_BAD_URI and no secret', () => {
    const cases: Array<[string, RegExp]> = [
      ['azure-kms', /not a URI/],
      [`azure-blob:///backup/${V}?${creds}&AZURE_VAULT_NAME=v1x`, /scheme must be azure-kms:/],
      [`azure-kms://host/backup/${V}?${creds}&AZURE_VAULT_NAME=v1x`, /not the host/],
      [`azure-kms:///backup?${creds}&AZURE_VAULT_NAME=v1x`, /\/\{key name\}\/\{key version\}/],
      [`azure-kms:///backup/v1?${creds}&AZURE_VAULT_NAME=v1x`, /not a Key Vault key version/],
      [`azure-kms:///bad_name/${V}?${creds}&AZURE_VAULT_NAME=v1x`, /not a Key Vault key name/],
      [`azure-kms:///backup/${V}?${creds}`, /missing AZURE_VAULT_NAME/],
      [
        `azure-kms:///backup/${V}?AZURE_TENANT_ID=t&AZURE_VAULT_NAME=v1x`,
        /needs AZURE_CLIENT_ID, AZURE_CLIENT_SECRET/,
      ],
      [
        `azure-kms:///backup/${V}?AUTH=implicit&AZURE_VAULT_NAME=v1x&AZURE_CLIENT_SECRET=${SECRET}`,
        /AUTH=implicit takes no/,
      ],
      [
        `azure-kms:///backup/${V}?${creds}&AZURE_VAULT_NAME=v1x&AZURE_ACCOUNT_NAME=x`,
        /unknown parameter AZURE_ACCOUNT_NAME/,
      ],
      [
        `azure-kms:///backup/${V}?${creds}&AZURE_VAULT_NAME=v1x&AZURE_VAULT_URL=https%3A%2F%2Fh`,
        /not both/,
      ],
      [`azure-kms:///backup/${V}?${creds}&AZURE_VAULT_URL=http%3A%2F%2Fh`, /must be an https: URL/],
      [
        `azure-kms:///backup/${V}?${creds}&AZURE_VAULT_NAME=v1x&AZURE_AUTHORITY_HOST=http%3A%2F%2Fh`,
        /must be an https: URL/,
      ],
      [`azure-kms:///backup/${V}?${creds}&AZURE_VAULT_NAME=-x`, /not a Key Vault name/],
    ];
    for (const [uri, why] of cases) {
      const e = badUri(uri);
      expect(e.code, uri).toBe('ERR_KMS_BAD_URI');
      expect(e.message).toMatch(why);
      expect(e.message).not.toContain(SECRET);
    }
  });

  it('redacts the client secret', () => {
    expect(redactAzureKmsUri(`azure-kms:///k/${V}?${creds}`)).toBe(
      `azure-kms:///k/${V}?AZURE_TENANT_ID=t-1&AZURE_CLIENT_ID=c-1&AZURE_CLIENT_SECRET=redacted`,
    );
  });
});
