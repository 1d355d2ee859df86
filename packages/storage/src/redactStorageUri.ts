/**
 * The only storage URI parameters whose values are shown (compared case-insensitively): they
 * name a region, an endpoint, an account, a project or a locality, never a credential. Every
 * other parameter's value is redacted — a misspelt secret (`AWS_SECRET_KEY`, `AZURE_SAS`) as much
 * as a known one.
 *
 * @example
 * ```ts
 * import { HARMLESS_STORAGE_PARAMS } from '@sealstream/storage';
 * console.log(HARMLESS_STORAGE_PARAMS.includes('AWS_REGION')); // true
 * ```
 */
export const HARMLESS_STORAGE_PARAMS: readonly string[] = [
  'COCKROACH_LOCALITY',
  'AUTH',
  'AWS_REGION',
  'AWS_ENDPOINT',
  'AWS_USE_PATH_STYLE',
  'GCS_ENDPOINT',
  'GCS_PROJECT',
  'AZURE_ACCOUNT_NAME',
  'AZURE_CLIENT_ID',
  'AZURE_TENANT_ID',
  'AZURE_ENVIRONMENT',
  'AZURE_BLOB_ENDPOINT',
];

/**
 * URI parameters known to hold a secret (or to identify a credential). Kept for reference:
 * every parameter outside {@link HARMLESS_STORAGE_PARAMS} is redacted anyway.
 */
export const SECRET_STORAGE_PARAMS: readonly string[] = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AZURE_CLIENT_SECRET',
  'AZURE_ACCOUNT_KEY',
  'AZURE_SAS_TOKEN',
  'CREDENTIALS',
  'BEARER_TOKEN',
];

const HARMLESS = new Set(HARMLESS_STORAGE_PARAMS);
const REDACTED = 'redacted';

function decode(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

/**
 * Returns `uri` with everything that might be secret replaced by `redacted`; only what is known
 * to be harmless is shown:
 * - the value of every parameter not in {@link HARMLESS_STORAGE_PARAMS}, and of a harmless one
 *   whose value holds `@` (credentials inside an endpoint); a bare unknown name becomes `redacted`;
 * - everything between `//` and the last `@` before the query (user info, even holding `/`);
 * - everything after a `&` or `;` before the query (parameters given without `?`);
 * - the fragment.
 * Plain paths (no scheme) are returned unchanged. Works on the text; never throws.
 *
 * @example
 * ```ts
 * import { redactStorageUri } from '@sealstream/storage';
 * console.log(redactStorageUri('s3://b/p?AWS_ACCESS_KEY_ID=AKIA1&AWS_SECRET_KEY=s3cr3t&AWS_REGION=us-east-1'));
 * // s3://b/p?AWS_ACCESS_KEY_ID=redacted&AWS_SECRET_KEY=redacted&AWS_REGION=us-east-1
 * ```
 */
export function redactStorageUri(uri: string): string {
  if (typeof uri !== 'string') return `<${typeof uri}>`;
  // A URL parser drops every tab and line break (WHATWG URL), so `s3:/\n/user:pw@b` has user
  // info: redact what the parser will read. A plain path is returned as it was.
  const parsed = uri.replace(/[\t\n\r]/g, '');
  const scheme = /^[a-zA-Z][a-zA-Z0-9+.-]+:/.exec(parsed);
  if (!scheme) return uri;
  let rest = parsed;
  let fragment = '';
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    fragment = `#${REDACTED}`;
    rest = rest.slice(0, hash);
  }
  let query: string | undefined;
  const q = rest.indexOf('?');
  if (q >= 0) {
    query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  // user:password@ in the authority: up to the last `@`, so a password holding `/` is hidden too.
  rest = rest.replace(/^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)(.*)@/s, `$1${REDACTED}@`);
  // Parameters written without `?` (`s3://b/p&AWS_SECRET_ACCESS_KEY=…`) land in the path.
  const loose = rest.slice(scheme[0].length).search(/[&;]/);
  if (loose >= 0) rest = `${rest.slice(0, scheme[0].length + loose + 1)}${REDACTED}`;
  if (query === undefined) return rest + fragment;
  const pairs = query.split('&').map((pair) => {
    if (pair === '') return pair;
    const eq = pair.indexOf('=');
    const name = eq >= 0 ? pair.slice(0, eq) : pair;
    if (!HARMLESS.has(decode(name).trim().toUpperCase()))
      return eq >= 0 ? `${name}=${REDACTED}` : REDACTED;
    if (eq >= 0 && decode(pair.slice(eq + 1)).includes('@')) return `${name}=${REDACTED}`;
    return pair;
  });
  return `${rest}?${pairs.join('&')}${fragment}`;
}
