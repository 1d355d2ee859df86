import { KmsError, providerParams, redactUri } from '@sealstream/kms';

/** URI parameters a `gs:///projects/…/cryptoKeys/…` KMS URI may carry; anything else is rejected. */
export const GCP_KMS_PARAMS = ['AUTH', 'CREDENTIALS', 'GCP_ENDPOINT'] as const;

/** The fields of a service-account key file the provider uses. */
export interface GcpServiceAccount {
  type?: string;
  client_email: string;
  private_key: string;
  private_key_id?: string;
  project_id?: string;
  [k: string]: unknown;
}

/** A parsed, validated Google Cloud KMS URI. */
export interface GcpKmsConfig {
  /** The CryptoKey resource name, `projects/{p}/locations/{l}/keyRings/{r}/cryptoKeys/{k}`. */
  keyName: string;
  auth: 'specified' | 'implicit';
  credentials?: GcpServiceAccount;
  /** Where to send requests instead of `https://cloudkms.googleapis.com` (private endpoint, emulator). */
  endpoint?: { protocol: 'http' | 'https'; host: string; port: number };
  redactedUri: string;
}

/**
 * Replaces the value of `CREDENTIALS` in a `gs:///` KMS URI with `redacted`.
 *
 * @example
 * ```ts
 * import { redactGcpKmsUri } from '@sealstream/kms-gcp';
 * console.log(redactGcpKmsUri('gs:///projects/p/locations/global/keyRings/r/cryptoKeys/k?AUTH=specified&CREDENTIALS=eyJ0'));
 * // gs:///projects/p/locations/global/keyRings/r/cryptoKeys/k?AUTH=specified&CREDENTIALS=redacted
 * ```
 */
export function redactGcpKmsUri(uri: string | URL): string {
  return redactUri(String(uri));
}

const KEY_NAME =
  /^projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]\/locations\/[a-z0-9-]+\/keyRings\/[\w-]{1,63}\/cryptoKeys\/[\w-]{1,63}$/;

/**
 * Parses and validates `gs:///projects/{p}/locations/{l}/keyRings/{r}/cryptoKeys/{k}?AUTH=…`.
 * `CREDENTIALS` is the base64 (or base64url) of a service-account key JSON; `GCP_ENDPOINT`
 * (`https://host[:port]`, or `http://` for a loopback emulator) replaces the public endpoint.
 * Errors are `ERR_KMS_BAD_URI` and name the redacted URI.
 *
 * @example
 * ```ts
 * import { parseGcpKmsUri } from '@sealstream/kms-gcp';
 * const c = parseGcpKmsUri('gs:///projects/my-proj/locations/global/keyRings/r/cryptoKeys/k?AUTH=implicit');
 * console.log(c.keyName); // projects/my-proj/locations/global/keyRings/r/cryptoKeys/k
 * ```
 */
export function parseGcpKmsUri(uri: string | URL): GcpKmsConfig {
  const redactedUri = redactGcpKmsUri(uri);
  const bad = (why: string): KmsError =>
    new KmsError('ERR_KMS_BAD_URI', `Invalid Google Cloud KMS URI ${redactedUri}: ${why}`);
  let url: URL;
  try {
    url = uri instanceof URL ? uri : new URL(uri);
  } catch {
    throw bad('not a URI');
  }
  if (url.protocol !== 'gs:') throw bad(`scheme must be gs:, not ${url.protocol}`);
  if (url.host !== '')
    throw bad(
      `a KMS key URI has an empty host (gs:///projects/…); "${url.host}" looks like a bucket`,
    );
  const keyName = url.pathname.replace(/^\//, '');
  if (keyName.includes('/cryptoKeyVersions/'))
    throw bad('name the CryptoKey, not a version (KMS picks the primary version)');
  if (!KEY_NAME.test(keyName))
    throw bad(
      'the path must be projects/{project}/locations/{location}/keyRings/{ring}/cryptoKeys/{key}',
    );

  const { params, auth } = providerParams(url, GCP_KMS_PARAMS, bad);
  const config: GcpKmsConfig = { keyName, auth, redactedUri };
  const raw = params.get('CREDENTIALS');
  if (auth === 'specified') {
    if (raw === undefined)
      throw bad('AUTH=specified needs CREDENTIALS (base64 of a service-account key JSON)');
    config.credentials = decodeCredentials(raw, bad);
  } else if (raw !== undefined) {
    throw bad('AUTH=implicit takes no CREDENTIALS');
  }
  const endpoint = params.get('GCP_ENDPOINT');
  if (endpoint !== undefined) {
    let e: URL;
    try {
      e = new URL(endpoint);
    } catch {
      throw bad('GCP_ENDPOINT is not a URL (https://host[:port])');
    }
    if (e.protocol !== 'http:' && e.protocol !== 'https:')
      throw bad('GCP_ENDPOINT must be https: (or http: for a loopback emulator)');
    if (e.pathname !== '/' || e.search !== '' || e.username !== '')
      throw bad('GCP_ENDPOINT takes a scheme, host and port only');
    const protocol = e.protocol === 'http:' ? 'http' : 'https';
    config.endpoint = {
      protocol,
      host: e.hostname.replace(/^\[|\]$/g, ''),
      port: e.port ? Number(e.port) : protocol === 'http' ? 80 : 443,
    };
  }
  return config;
}

function decodeCredentials(raw: string, bad: (why: string) => KmsError): GcpServiceAccount {
  // A '+' that was not percent-encoded arrives as a space.
  const b64 = raw.replace(/ /g, '+').replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw bad('CREDENTIALS is not base64');
  let json: unknown;
  try {
    const bin = atob(b64.padEnd(Math.ceil(b64.length / 4) * 4, '='));
    json = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(
        Uint8Array.from(bin, (c) => c.charCodeAt(0)),
      ),
    );
  } catch {
    throw bad('CREDENTIALS is not the base64 of a JSON key file');
  }
  const sa = json as Partial<GcpServiceAccount> | null;
  if (
    !sa ||
    typeof sa !== 'object' ||
    typeof sa.client_email !== 'string' ||
    typeof sa.private_key !== 'string'
  )
    throw bad('CREDENTIALS must be a service-account key (client_email and private_key)');
  if (sa.type !== undefined && sa.type !== 'service_account')
    throw bad(`CREDENTIALS must be a service_account key, not ${String(sa.type)}`);
  return sa as GcpServiceAccount;
}
