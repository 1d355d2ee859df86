import { checkStorageParams, parseEndpoint, storageUriParts } from '@sealstream/storage/driver';

/** The URI scheme and driver name. */
export const S3_DRIVER = 's3';

/** Every query parameter an `s3://` URI accepts (plus `COCKROACH_LOCALITY`). */
export const S3_PARAMS = [
  'AUTH',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_REGION',
  'AWS_ENDPOINT',
  'AWS_USE_PATH_STYLE',
] as const;

/** A parsed `s3://bucket/prefix?…` URI. */
export interface S3Location {
  bucket: string;
  /** Root prefix inside the bucket, without leading or trailing `/` (may be `''`). */
  prefix: string;
  region: string;
  /** Custom endpoint (S3-compatible servers, private endpoints), when given. */
  endpoint?: string;
  forcePathStyle: boolean;
  /** Static credentials (`AUTH=specified`), or `undefined` for the SDK's default chain (`AUTH=implicit`). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/**
 * Parses and checks an `s3://{bucket}/{prefix}` URI. Parameters:
 * - `AUTH=specified` (default) needs `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` (optional
 *   `AWS_SESSION_TOKEN`); `AUTH=implicit` uses the SDK's default credential chain (environment,
 *   profile, instance or container role) and takes no key;
 * - `AWS_REGION` (default `us-east-1`; a wrong region is followed by redirect);
 * - `AWS_ENDPOINT`: an http(s) URL for S3-compatible servers (Ceph RGW, MinIO) and private
 *   endpoints; `AWS_USE_PATH_STYLE=true|false` (default: `true` when `AWS_ENDPOINT` is given, else
 *   `false`);
 * - `COCKROACH_LOCALITY` is accepted and ignored. Any other parameter is rejected.
 *
 * @throws {StorageError} `ERR_STORAGE_BAD_URI`, naming the problem (never a secret)
 *
 * @example
 * ```ts
 * import { parseS3Uri } from './parseS3Uri.ts';
 * const loc = parseS3Uri(new URL('s3://backups/prod?AWS_ACCESS_KEY_ID=AKIA1&AWS_SECRET_ACCESS_KEY=s3cr3t&AWS_REGION=eu-west-1'));
 * console.log(loc.bucket, loc.prefix, loc.region); // backups prod eu-west-1
 * ```
 */
export function parseS3Uri(url: URL): S3Location {
  const uri = storageUriParts(url, S3_DRIVER);
  const fail: (message: string) => never = uri.fail;
  if (url.protocol !== 's3:') fail(`expected an s3:// URI, received scheme "${url.protocol}"`);
  const p = checkStorageParams(url, S3_PARAMS, [], S3_DRIVER);
  const bucket = uri.decode(url.host, 'the bucket name');
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket) || bucket.includes('..')) {
    fail(
      `invalid bucket name "${bucket}" (3-63 characters: lowercase letters, digits, dots, hyphens)`,
    );
  }
  const prefix = uri.prefix();
  const region = p.AWS_REGION ?? 'us-east-1';
  if (!/^[a-z0-9-]{2,40}$/.test(region)) fail(`invalid AWS_REGION "${region}"`);

  let endpoint: string | undefined;
  if (p.AWS_ENDPOINT !== undefined) {
    endpoint = parseEndpoint(p.AWS_ENDPOINT, 'AWS_ENDPOINT', fail);
  }
  const pathStyle = (p.AWS_USE_PATH_STYLE ?? (endpoint ? 'true' : 'false')).toLowerCase();
  if (pathStyle !== 'true' && pathStyle !== 'false')
    fail(`AWS_USE_PATH_STYLE must be "true" or "false", received "${p.AWS_USE_PATH_STYLE}"`);

  const auth = (p.AUTH ?? 'specified').toLowerCase();
  const keys = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'].filter(
    (n) => p[n] !== undefined,
  );
  let credentials: S3Location['credentials'];
  if (auth === 'implicit') {
    if (keys.length) fail(`AUTH=implicit takes no credential parameter (got ${keys.join(', ')})`);
  } else if (auth === 'specified') {
    const missing = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'].filter((n) => !p[n]);
    if (missing.length)
      fail(`AUTH=specified needs ${missing.join(' and ')} (or use AUTH=implicit)`);
    credentials = {
      accessKeyId: p.AWS_ACCESS_KEY_ID as string,
      secretAccessKey: p.AWS_SECRET_ACCESS_KEY as string,
      ...(p.AWS_SESSION_TOKEN ? { sessionToken: p.AWS_SESSION_TOKEN } : {}),
    };
  } else {
    fail(`AUTH must be "specified" or "implicit", received "${p.AUTH}"`);
  }
  return {
    bucket,
    prefix,
    region,
    ...(endpoint ? { endpoint } : {}),
    forcePathStyle: pathStyle === 'true',
    ...(credentials ? { credentials } : {}),
  };
}
