import { checkStorageParams, parseEndpoint, storageUriParts } from '@sealstream/storage/driver';

/** The driver name (URI scheme `gs`). */
export const GCS_DRIVER = 'gs';

/** Every query parameter a `gs://` storage URI accepts (plus `COCKROACH_LOCALITY`). */
export const GCS_PARAMS = ['AUTH', 'CREDENTIALS', 'GCS_ENDPOINT', 'GCS_PROJECT'] as const;

/** How the driver authenticates. */
export type GcsAuth =
  | { kind: 'specified'; credentials: Record<string, unknown> }
  | { kind: 'implicit' }
  | { kind: 'none' };

/** A parsed `gs://bucket/prefix?…` URI. */
export interface GcsLocation {
  bucket: string;
  /** Root prefix inside the bucket, without leading or trailing `/` (may be `''`). */
  prefix: string;
  /** Custom API endpoint (emulators, private endpoints), when given. */
  endpoint?: string;
  projectId?: string;
  auth: GcsAuth;
}

/**
 * Parses and checks a `gs://{bucket}/{prefix}` storage URI. Parameters:
 * - `AUTH=specified` (default) needs `CREDENTIALS`, a base64-encoded service-account JSON key;
 *   `AUTH=implicit` uses Application Default Credentials; `AUTH=none` sends no credentials (for
 *   emulators; needs `GCS_ENDPOINT`);
 * - `GCS_ENDPOINT`: the API endpoint as an http(s) URL without `/storage/v1` (emulators, private
 *   endpoints such as `https://storage-xyz.p.googleapis.com`);
 * - `GCS_PROJECT`: project id (optional; taken from the key when absent);
 * - `COCKROACH_LOCALITY` is accepted and ignored. Any other parameter is rejected.
 *
 * @throws {StorageError} `ERR_STORAGE_BAD_URI`, naming the problem (never a secret)
 *
 * @example
 * ```ts
 * import { parseGcsUri } from './parseGcsUri.ts';
 * const loc = parseGcsUri(new URL('gs://backups/prod?AUTH=implicit'));
 * console.log(loc.bucket, loc.prefix, loc.auth.kind); // backups prod implicit
 * ```
 */
export function parseGcsUri(url: URL): GcsLocation {
  const uri = storageUriParts(url, GCS_DRIVER);
  const fail: (message: string) => never = uri.fail;
  if (url.protocol !== 'gs:') fail(`expected a gs:// URI, received scheme "${url.protocol}"`);
  const p = checkStorageParams(url, GCS_PARAMS, [], GCS_DRIVER);
  const bucket = uri.decode(url.host, 'the bucket name');
  if (bucket === '')
    fail('missing bucket: gs://{bucket}/{prefix} (gs:///projects/… names a KMS key, not a bucket)');
  if (!/^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/.test(bucket)) fail(`invalid bucket name "${bucket}"`);
  const prefix = uri.prefix();
  let endpoint: string | undefined;
  if (p.GCS_ENDPOINT !== undefined) {
    endpoint = parseEndpoint(p.GCS_ENDPOINT, 'GCS_ENDPOINT', fail);
    if (/\/storage\/v1$/.test(endpoint))
      fail('GCS_ENDPOINT must not end with /storage/v1 (give the server root)');
  }
  const auth = (p.AUTH ?? 'specified').toLowerCase();
  let credential: GcsAuth;
  if (auth === 'specified') {
    if (!p.CREDENTIALS)
      fail(
        'AUTH=specified needs CREDENTIALS (a base64-encoded service-account JSON key), or use AUTH=implicit',
      );
    let key: unknown;
    try {
      key = JSON.parse(
        new TextDecoder().decode(
          Uint8Array.from(atob(p.CREDENTIALS as string), (c) => c.charCodeAt(0)),
        ),
      );
    } catch {
      fail('CREDENTIALS is not base64-encoded JSON');
    }
    if (typeof key !== 'object' || key === null || Array.isArray(key))
      fail('CREDENTIALS must encode a JSON object (a service-account key)');
    credential = { kind: 'specified', credentials: key as Record<string, unknown> };
  } else if (auth === 'implicit' || auth === 'none') {
    if (p.CREDENTIALS !== undefined) fail(`AUTH=${auth} takes no CREDENTIALS`);
    if (auth === 'none' && !endpoint) fail('AUTH=none is for emulators: it needs GCS_ENDPOINT');
    credential = { kind: auth };
  } else {
    fail(`AUTH must be "specified", "implicit" or "none", received "${p.AUTH}"`);
  }
  return {
    bucket,
    prefix,
    ...(endpoint ? { endpoint } : {}),
    ...(p.GCS_PROJECT ? { projectId: p.GCS_PROJECT } : {}),
    auth: credential,
  };
}
