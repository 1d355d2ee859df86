import { redactUriText } from '@sealstream/streams';

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

/**
 * Returns `uri` with everything that might be secret replaced by `redacted`; only what is known
 * to be harmless is shown:
 * - the value of every parameter not in {@link HARMLESS_STORAGE_PARAMS}, and of a harmless one
 *   whose value holds `@` (credentials inside an endpoint); a bare unknown name becomes `redacted`;
 * - everything between `//` and the last `@` before the query (user info, even holding `/`);
 * - everything after a `&` or `;` before the query (parameters given without `?`; an `=` there
 *   is kept, as in `s3://b/date=2026-01-01/`);
 * - the fragment.
 * Parameters are separated by `&` or `;`.
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
  // A URL parser drops every tab and line break (WHATWG URL); a plain path (no scheme of two
  // or more letters, so not `C:\`) is returned as it was.
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]+:/.test(uri.replace(/[\t\n\r]/g, ''))) return uri;
  return redactUriText(uri, { harmless: HARMLESS, looseEquals: false });
}
