import { KmsError, providerParams, redactUri } from '@sealstream/kms';

/** URI parameters an `azure-kms:///` URI may carry; anything else is rejected. */
export const AZURE_KMS_PARAMS = [
  'AUTH',
  'AZURE_TENANT_ID',
  'AZURE_CLIENT_ID',
  'AZURE_CLIENT_SECRET',
  'AZURE_VAULT_NAME',
  'AZURE_VAULT_URL',
  'AZURE_AUTHORITY_HOST',
] as const;

/** A parsed, validated `azure-kms:///{key}/{version}?…` URI. */
export interface AzureKmsConfig {
  keyName: string;
  keyVersion: string;
  /** `https://{AZURE_VAULT_NAME}.vault.azure.net`, or AZURE_VAULT_URL (private endpoint, emulator). */
  vaultUrl: string;
  /** True when the vault is not a `*.vault.azure.net` host (challenge resource check relaxed). */
  customVault: boolean;
  auth: 'specified' | 'implicit';
  credentials?: { tenantId: string; clientId: string; clientSecret: string };
  /** Entra ID authority, e.g. `https://login.microsoftonline.us` (sovereign cloud) or an emulator. */
  authorityHost?: string;
  /** The key's identifier in the vault: `{vaultUrl}/keys/{name}/{version}`. */
  kid: string;
  redactedUri: string;
}

/**
 * Replaces the value of `AZURE_CLIENT_SECRET` with `redacted`.
 *
 * @example
 * ```ts
 * import { redactAzureKmsUri } from '@sealstream/kms-azure';
 * console.log(redactAzureKmsUri('azure-kms:///k/0123?AZURE_CLIENT_SECRET=s3cr3t&AZURE_VAULT_NAME=v'));
 * // azure-kms:///k/0123?AZURE_CLIENT_SECRET=redacted&AZURE_VAULT_NAME=v
 * ```
 */
export function redactAzureKmsUri(uri: string | URL): string {
  return redactUri(String(uri));
}

/**
 * Parses and validates `azure-kms:///{key}/{version}?AZURE_TENANT_ID=…&AZURE_CLIENT_ID=…&AZURE_CLIENT_SECRET=…&AZURE_VAULT_NAME=…`
 * (or `?AUTH=implicit&AZURE_VAULT_NAME=…`). `AZURE_VAULT_URL` replaces `AZURE_VAULT_NAME` for a
 * private endpoint or emulator; `AZURE_AUTHORITY_HOST` sets the Entra ID authority. Errors are
 * `ERR_KMS_BAD_URI` naming the redacted URI.
 *
 * @example
 * ```ts
 * import { parseAzureKmsUri } from '@sealstream/kms-azure';
 * const c = parseAzureKmsUri('azure-kms:///backup/0123456789abcdef0123456789abcdef?AUTH=implicit&AZURE_VAULT_NAME=myvault');
 * console.log(c.kid); // https://myvault.vault.azure.net/keys/backup/0123456789abcdef0123456789abcdef
 * ```
 */
export function parseAzureKmsUri(uri: string | URL): AzureKmsConfig {
  const redactedUri = redactAzureKmsUri(uri);
  const bad = (why: string): KmsError =>
    new KmsError('ERR_KMS_BAD_URI', `Invalid Azure Key Vault URI ${redactedUri}: ${why}`);
  let url: URL;
  try {
    url = uri instanceof URL ? uri : new URL(uri);
  } catch {
    throw bad('not a URI');
  }
  if (url.protocol !== 'azure-kms:') throw bad(`scheme must be azure-kms:, not ${url.protocol}`);
  if (url.host !== '')
    throw bad(
      `the key goes in the path (azure-kms:///{key}/{version}), not the host "${url.host}"`,
    );
  const segments = url.pathname.replace(/^\//, '').split('/');
  if (segments.length !== 2 || !segments[0] || !segments[1])
    throw bad('the path must be /{key name}/{key version}');
  const [keyName, keyVersion] = segments as [string, string];
  if (!/^[0-9a-zA-Z-]{1,127}$/.test(keyName))
    throw bad('the key name is not a Key Vault key name (letters, digits, dashes)');
  if (!/^[0-9a-fA-F]{32}$/.test(keyVersion))
    throw bad('the key version is not a Key Vault key version (32 hex digits)');

  const { params, auth } = providerParams(url, AZURE_KMS_PARAMS, bad);

  const vaultName = params.get('AZURE_VAULT_NAME');
  const vaultUrlParam = params.get('AZURE_VAULT_URL');
  let vaultUrl: string;
  let customVault = false;
  if (vaultName !== undefined && vaultUrlParam !== undefined)
    throw bad('give AZURE_VAULT_NAME or AZURE_VAULT_URL, not both');
  if (vaultName !== undefined) {
    if (!/^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/.test(vaultName))
      throw bad(`"${vaultName}" is not a Key Vault name`);
    vaultUrl = `https://${vaultName.toLowerCase()}.vault.azure.net`;
  } else if (vaultUrlParam !== undefined) {
    const v = httpsUrl(vaultUrlParam, 'AZURE_VAULT_URL', bad);
    vaultUrl = v.origin;
    customVault =
      !/\.vault\.azure\.(net|cn)$|\.vault\.usgovcloudapi\.net$|\.managedhsm\.azure\.net$/.test(
        v.hostname,
      );
  } else {
    throw bad('missing AZURE_VAULT_NAME (or AZURE_VAULT_URL)');
  }
  const config: AzureKmsConfig = {
    keyName,
    keyVersion,
    vaultUrl,
    customVault,
    auth,
    kid: `${vaultUrl}/keys/${keyName}/${keyVersion}`,
    redactedUri,
  };
  const tenantId = params.get('AZURE_TENANT_ID');
  const clientId = params.get('AZURE_CLIENT_ID');
  const clientSecret = params.get('AZURE_CLIENT_SECRET');
  if (auth === 'specified') {
    const missing = [
      ['AZURE_TENANT_ID', tenantId],
      ['AZURE_CLIENT_ID', clientId],
      ['AZURE_CLIENT_SECRET', clientSecret],
    ]
      .filter(([, v]) => v === undefined)
      .map(([n]) => n);
    if (missing.length > 0) throw bad(`AUTH=specified needs ${missing.join(', ')}`);
    config.credentials = {
      tenantId: tenantId as string,
      clientId: clientId as string,
      clientSecret: clientSecret as string,
    };
  } else if (tenantId !== undefined || clientId !== undefined || clientSecret !== undefined) {
    throw bad(
      'AUTH=implicit takes no AZURE_TENANT_ID, AZURE_CLIENT_ID or AZURE_CLIENT_SECRET (set them in the environment)',
    );
  }
  const authorityHost = params.get('AZURE_AUTHORITY_HOST');
  if (authorityHost !== undefined)
    config.authorityHost = httpsUrl(authorityHost, 'AZURE_AUTHORITY_HOST', bad).origin;
  return config;
}

function httpsUrl(value: string, name: string, bad: (why: string) => KmsError): URL {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw bad(`${name} is not a URL`);
  }
  if (u.protocol !== 'https:') throw bad(`${name} must be an https: URL`);
  if (
    u.username !== '' ||
    u.password !== '' ||
    u.search !== '' ||
    (u.pathname !== '/' && u.pathname !== '')
  )
    throw bad(`${name} takes a scheme, host and port only`);
  return u;
}
