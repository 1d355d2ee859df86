import { REDACTED, redactUriText } from '@sealstream/streams';

export { REDACTED };

/**
 * The only KMS URI parameters whose values are shown (compared case-insensitively): they name a
 * region, an endpoint, a vault or an identity, never a credential. Every other parameter's value
 * is redacted — a misspelt secret (`AWS_SECRET_KEY`) as much as a known one.
 *
 * @example
 * ```ts
 * import { HARMLESS_PARAMS } from '@sealstream/kms';
 * console.log(HARMLESS_PARAMS.includes('REGION'), HARMLESS_PARAMS.includes('AWS_SECRET_KEY')); // true false
 * ```
 */
export const HARMLESS_PARAMS: readonly string[] = [
  'AUTH',
  'REGION',
  'AWS_ENDPOINT',
  'GCP_ENDPOINT',
  'AZURE_TENANT_ID',
  'AZURE_CLIENT_ID',
  'AZURE_VAULT_NAME',
  'AZURE_VAULT_URL',
  'AZURE_AUTHORITY_HOST',
];

/**
 * Parameter names that are secrets whatever else is decided (kept for reference and callers
 * that list them; every name outside {@link HARMLESS_PARAMS} is redacted anyway).
 *
 * @example
 * ```ts
 * import { SECRET_PARAMS } from '@sealstream/kms';
 * console.log(SECRET_PARAMS.includes('AZURE_CLIENT_SECRET')); // true
 * ```
 */
export const SECRET_PARAMS: readonly string[] = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AZURE_CLIENT_SECRET',
  'CREDENTIALS',
];

const HARMLESS = new Set(HARMLESS_PARAMS);

/** Schemes whose URI paths name a key, not a secret: sealstream's providers and any registered. */
const knownSchemes = new Set(['aws', 'gs', 'azure-kms', 'local-kms']);

/**
 * Marks `scheme` as a KMS scheme whose URIs {@link redactUri} may show (the registry calls it
 * for every provider registered). URIs of other schemes are redacted whole: `hunter2:xyz` is more
 * likely a pasted passphrase than a key.
 */
export function noteKmsScheme(scheme: string): void {
  knownSchemes.add(scheme.toLowerCase());
}

/**
 * True when the value of a URI parameter named `name` is hidden: every name but the few in
 * {@link HARMLESS_PARAMS} (case-insensitive, surrounding spaces ignored).
 *
 * @example
 * ```ts
 * import { isSecretParam } from '@sealstream/kms';
 * console.log(isSecretParam('AZURE_CLIENT_SECRET'), isSecretParam('AWS_SECRET_KEY'), isSecretParam('REGION')); // true true false
 * ```
 */
export function isSecretParam(name: string): boolean {
  return !HARMLESS.has(name.trim().toUpperCase());
}

/**
 * Returns `uri` with everything that might be secret replaced by `redacted`. Redaction is the
 * default; only what is known to be harmless is shown:
 * - text that does not start with a scheme (`scheme:`), or whose scheme is not a known KMS scheme
 *   ({@link noteKmsScheme}), becomes `redacted` whole;
 * - everything between `//` and the last `@` before the query (user info, even holding `/`);
 * - everything after the first `=`, `&` or `;` before the query (parameters given without `?`);
 * - the value of every parameter not in {@link HARMLESS_PARAMS}, and of a harmless one whose
 *   value holds `@` (credentials inside an endpoint); a bare unknown name becomes `redacted`;
 * - the fragment.
 * It works on the text, so URIs that do not parse are redacted too. Never throws.
 *
 * @example
 * ```ts
 * import { redactUri } from '@sealstream/kms';
 * console.log(redactUri('aws:///alias/backup?AUTH=specified&AWS_SECRET_KEY=abc&REGION=us-east-1'));
 * // aws:///alias/backup?AUTH=specified&AWS_SECRET_KEY=redacted&REGION=us-east-1
 * ```
 *
 * @example
 * ```ts
 * import { redactUri } from '@sealstream/kms';
 * console.log(redactUri('correct horse battery staple')); // redacted
 * ```
 */
export function redactUri(uri: string): string {
  if (typeof uri !== 'string') return `<${typeof uri}>`;
  // A URL parser drops every tab and line break (WHATWG URL): check the scheme it will read.
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(uri.replace(/[\t\n\r]/g, ''));
  if (!scheme || !knownSchemes.has((scheme[1] as string).toLowerCase())) return REDACTED;
  return redactUriText(uri, { harmless: HARMLESS, looseEquals: true });
}
