import { checkStorageParams, parseEndpoint, storageUriParts } from '@sealstream/storage/driver';

/** The URI scheme and driver name. */
export const AZURE_BLOB_DRIVER = 'azure-blob';

/** Every query parameter an `azure-blob://` URI accepts (plus `COCKROACH_LOCALITY`). */
export const AZURE_BLOB_PARAMS = [
  'AUTH',
  'AZURE_ACCOUNT_NAME',
  'AZURE_ACCOUNT_KEY',
  'AZURE_CLIENT_ID',
  'AZURE_CLIENT_SECRET',
  'AZURE_TENANT_ID',
  'AZURE_SAS_TOKEN',
  'AZURE_ENVIRONMENT',
  'AZURE_BLOB_ENDPOINT',
] as const;

const ENVIRONMENTS: Record<string, string> = {
  AZUREPUBLICCLOUD: 'core.windows.net',
  AZURECHINACLOUD: 'core.chinacloudapi.cn',
  AZUREUSGOVERNMENTCLOUD: 'core.usgovcloudapi.net',
};

/** How the driver authenticates. */
export type AzureBlobAuth =
  | { kind: 'shared-key'; accountName: string; accountKey: string }
  | { kind: 'client-secret'; tenantId: string; clientId: string; clientSecret: string }
  | { kind: 'sas'; sasToken: string }
  | { kind: 'implicit' };

/** A parsed `azure-blob://container/prefix?…` URI. */
export interface AzureBlobLocation {
  container: string;
  /** Root prefix inside the container, without leading or trailing `/` (may be `''`). */
  prefix: string;
  /** Account endpoint, e.g. `https://acct.blob.core.windows.net` or Azurite's `http://127.0.0.1:10000/devstoreaccount1`. */
  endpoint: string;
  accountName: string;
  auth: AzureBlobAuth;
}

/**
 * Parses and checks an `azure-blob://{container}/{prefix}` URI (also accepted: `azure://`,
 * `azure-storage://`). Parameters:
 * - `AZURE_ACCOUNT_NAME` (required);
 * - `AUTH=specified` (default) with exactly one credential: `AZURE_ACCOUNT_KEY`, or
 *   `AZURE_CLIENT_ID` + `AZURE_CLIENT_SECRET` + `AZURE_TENANT_ID`, or `AZURE_SAS_TOKEN`;
 *   `AUTH=implicit` uses the environment (`DefaultAzureCredential`) and takes no credential;
 * - `AZURE_ENVIRONMENT` (`AZUREPUBLICCLOUD` default, `AZURECHINACLOUD`, `AZUREUSGOVERNMENTCLOUD`)
 *   or `AZURE_BLOB_ENDPOINT` (Azurite, private endpoints: the account URL);
 * - `COCKROACH_LOCALITY` is accepted and ignored. Any other parameter is rejected.
 *
 * @throws {StorageError} `ERR_STORAGE_BAD_URI`, naming the problem (never a secret)
 *
 * @example
 * ```ts
 * import { parseAzureBlobUri } from './parseAzureBlobUri.ts';
 * const loc = parseAzureBlobUri(new URL('azure-blob://backups/prod?AZURE_ACCOUNT_NAME=acct&AZURE_ACCOUNT_KEY=a2V5'));
 * console.log(loc.container, loc.prefix, loc.endpoint); // backups prod https://acct.blob.core.windows.net
 * ```
 */
export function parseAzureBlobUri(url: URL): AzureBlobLocation {
  const uri = storageUriParts(url, AZURE_BLOB_DRIVER);
  const fail: (message: string) => never = uri.fail;
  if (!['azure-blob:', 'azure:', 'azure-storage:'].includes(url.protocol)) {
    fail(`expected an azure-blob:// URI, received scheme "${url.protocol}"`);
  }
  const p = checkStorageParams(url, AZURE_BLOB_PARAMS, ['AZURE_ACCOUNT_NAME'], AZURE_BLOB_DRIVER);
  const container = uri.decode(url.host, 'the container name');
  if (!/^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(container)) {
    fail(
      `invalid container name "${container}" (3-63 characters: lowercase letters, digits, single hyphens)`,
    );
  }
  const prefix = uri.prefix();
  const accountName = p.AZURE_ACCOUNT_NAME as string;
  if (!/^[a-z0-9]{3,24}$/.test(accountName))
    fail(`invalid AZURE_ACCOUNT_NAME "${accountName}" (3-24 lowercase letters and digits)`);

  let endpoint: string;
  if (p.AZURE_BLOB_ENDPOINT !== undefined) {
    if (p.AZURE_ENVIRONMENT !== undefined)
      fail('give AZURE_BLOB_ENDPOINT or AZURE_ENVIRONMENT, not both');
    endpoint = parseEndpoint(p.AZURE_BLOB_ENDPOINT, 'AZURE_BLOB_ENDPOINT', fail);
  } else {
    const env = (p.AZURE_ENVIRONMENT ?? 'AZUREPUBLICCLOUD').toUpperCase();
    const suffix = ENVIRONMENTS[env];
    if (!suffix)
      fail(
        `unknown AZURE_ENVIRONMENT "${p.AZURE_ENVIRONMENT}" (known: ${Object.keys(ENVIRONMENTS).join(', ')})`,
      );
    endpoint = `https://${accountName}.blob.${suffix}`;
  }

  const auth = (p.AUTH ?? 'specified').toLowerCase();
  const given = [
    'AZURE_ACCOUNT_KEY',
    'AZURE_CLIENT_ID',
    'AZURE_CLIENT_SECRET',
    'AZURE_TENANT_ID',
    'AZURE_SAS_TOKEN',
  ].filter((n) => p[n] !== undefined);
  let credential: AzureBlobAuth;
  if (auth === 'implicit') {
    if (given.length) fail(`AUTH=implicit takes no credential parameter (got ${given.join(', ')})`);
    credential = { kind: 'implicit' };
  } else if (auth === 'specified') {
    const client = ['AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'AZURE_TENANT_ID'];
    const kinds = [
      p.AZURE_ACCOUNT_KEY,
      p.AZURE_SAS_TOKEN,
      client.some((n) => p[n] !== undefined) || undefined,
    ].filter((v) => v !== undefined).length;
    if (kinds !== 1) {
      fail(
        'AUTH=specified needs exactly one credential: AZURE_ACCOUNT_KEY, AZURE_SAS_TOKEN, or AZURE_CLIENT_ID + AZURE_CLIENT_SECRET + AZURE_TENANT_ID (or use AUTH=implicit)',
      );
    }
    if (p.AZURE_ACCOUNT_KEY !== undefined) {
      if (p.AZURE_ACCOUNT_KEY === '') fail('AZURE_ACCOUNT_KEY is empty');
      credential = { kind: 'shared-key', accountName, accountKey: p.AZURE_ACCOUNT_KEY };
    } else if (p.AZURE_SAS_TOKEN !== undefined) {
      if (p.AZURE_SAS_TOKEN === '') fail('AZURE_SAS_TOKEN is empty');
      credential = { kind: 'sas', sasToken: p.AZURE_SAS_TOKEN.replace(/^\?/, '') };
    } else {
      const missing = client.filter((n) => !p[n]);
      if (missing.length)
        fail(`missing ${missing.join(', ')} (client-secret authentication needs all three)`);
      credential = {
        kind: 'client-secret',
        tenantId: p.AZURE_TENANT_ID as string,
        clientId: p.AZURE_CLIENT_ID as string,
        clientSecret: p.AZURE_CLIENT_SECRET as string,
      };
    }
  } else {
    fail(`AUTH must be "specified" or "implicit", received "${p.AUTH}"`);
  }
  return { container, prefix, endpoint, accountName, auth: credential };
}
