import { KmsError, providerParams, redactUri } from '@sealstream/kms';

/** URI parameters an `aws:///` KMS URI may carry; anything else is rejected. */
export const AWS_KMS_PARAMS = [
  'AUTH',
  'REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_ENDPOINT',
] as const;

/** A parsed, validated `aws:///{key}?…` URI. */
export interface AwsKmsConfig {
  /** The key as written: key id, key ARN, `alias/name` or alias ARN. */
  key: string;
  region: string;
  auth: 'specified' | 'implicit';
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  endpoint?: string;
  /** The URI with secret parameters replaced by `redacted`. */
  redactedUri: string;
}

/**
 * Replaces the values of secret parameters of an `aws:///` URI with `redacted` (the
 * @sealstream/kms rules: the access key id, secret key and session token).
 *
 * @example
 * ```ts
 * import { redactAwsKmsUri } from '@sealstream/kms-aws';
 * console.log(redactAwsKmsUri('aws:///alias/k?REGION=us-east-1&AWS_ACCESS_KEY_ID=A&AWS_SECRET_ACCESS_KEY=s'));
 * // aws:///alias/k?REGION=us-east-1&AWS_ACCESS_KEY_ID=redacted&AWS_SECRET_ACCESS_KEY=redacted
 * ```
 */
export function redactAwsKmsUri(uri: string | URL): string {
  return redactUri(String(uri));
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Parses and validates an `aws:///{key}?AUTH=…&REGION=…` URI: unknown and repeated parameters,
 * a missing key or region, and credentials that contradict `AUTH` are rejected with
 * `ERR_KMS_BAD_URI` naming the redacted URI.
 *
 * @example
 * ```ts
 * import { parseAwsKmsUri } from '@sealstream/kms-aws';
 * const c = parseAwsKmsUri('aws:///alias/backup?AUTH=implicit&REGION=eu-west-1');
 * console.log(c.key, c.region); // alias/backup eu-west-1
 * ```
 */
export function parseAwsKmsUri(uri: string | URL): AwsKmsConfig {
  const redactedUri = redactAwsKmsUri(uri);
  const bad = (why: string): KmsError =>
    new KmsError('ERR_KMS_BAD_URI', `Invalid AWS KMS URI ${redactedUri}: ${why}`);
  let url: URL;
  try {
    url = uri instanceof URL ? uri : new URL(uri);
  } catch {
    throw bad('not a URI');
  }
  if (url.protocol !== 'aws:') throw bad(`scheme must be aws:, not ${url.protocol}`);
  if (url.host !== '')
    throw bad(`the key goes in the path (aws:///{key}), not the host "${url.host}"`);
  const key = decodeURIComponentSafe(url.pathname.replace(/^\//, ''));
  if (key === '') throw bad('missing key (aws:///{key id | key ARN | alias/name | alias ARN})');
  if (
    !/^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[\w/:-]+|alias\/[\w/-]+|[0-9a-fA-F-]{36}|mrk-[0-9a-f]{32})$/.test(
      key,
    )
  )
    throw bad('its path is not a key id, key ARN, alias/name or alias ARN');

  const { params, auth } = providerParams(url, AWS_KMS_PARAMS, bad);
  const arnRegion = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):/.exec(key)?.[1];
  const region = params.get('REGION') ?? arnRegion;
  if (region === undefined) throw bad('missing REGION');
  if (arnRegion !== undefined && arnRegion !== region)
    throw bad(`REGION ${region} differs from the key ARN's region ${arnRegion}`);

  const config: AwsKmsConfig = { key, region, auth, redactedUri };
  const akid = params.get('AWS_ACCESS_KEY_ID');
  const secret = params.get('AWS_SECRET_ACCESS_KEY');
  const token = params.get('AWS_SESSION_TOKEN');
  if (auth === 'specified') {
    if (akid === undefined || secret === undefined)
      throw bad('AUTH=specified needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
    config.credentials =
      token === undefined
        ? { accessKeyId: akid, secretAccessKey: secret }
        : { accessKeyId: akid, secretAccessKey: secret, sessionToken: token };
  } else if (akid !== undefined || secret !== undefined || token !== undefined) {
    throw bad(
      'AUTH=implicit takes no AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY or AWS_SESSION_TOKEN',
    );
  }
  const endpoint = params.get('AWS_ENDPOINT');
  if (endpoint !== undefined) {
    let e: URL;
    try {
      e = new URL(endpoint);
    } catch {
      throw bad('AWS_ENDPOINT is not a URL');
    }
    if (e.protocol !== 'http:' && e.protocol !== 'https:')
      throw bad('AWS_ENDPOINT must be http: or https:');
    config.endpoint = endpoint;
  }
  return config;
}
