/**
 * The text that replaces every secret value in a redacted URI.
 *
 * @example
 * ```ts
 * import { REDACTED } from '@sealstream/kms';
 * console.log(REDACTED); // redacted
 * ```
 */
export const REDACTED = 'redacted';

/**
 * Parameter names whose values are always redacted (compared case-insensitively).
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

const SECRET_WORDS =
  /SECRET|TOKEN|PASSWORD|PASSPHRASE|PASSWD|KEY|CREDENTIAL|SIG|AUTHORIZATION|BEARER/i;

/**
 * True when a URI parameter named `name` holds a secret: one of {@link SECRET_PARAMS}, or any
 * name containing SECRET, TOKEN, PASSWORD, PASSPHRASE, PASSWD, KEY, CREDENTIAL, SIG,
 * AUTHORIZATION or BEARER (case-insensitive). Conservative on purpose: `AWS_ACCESS_KEY_ID` is
 * redacted too, and so is any `…KEY…` parameter, because hiding a harmless value costs nothing.
 *
 * @example
 * ```ts
 * import { isSecretParam } from '@sealstream/kms';
 * console.log(isSecretParam('AZURE_CLIENT_SECRET'), isSecretParam('REGION')); // true false
 * ```
 */
export function isSecretParam(name: string): boolean {
  return SECRET_PARAMS.includes(name.toUpperCase()) || SECRET_WORDS.test(name);
}

function decodeName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

/**
 * Returns `uri` with every secret replaced by `redacted`: the value of each secret query
 * parameter ({@link isSecretParam}), everything between `//` and the last `@` before the query
 * (user name and password), and the fragment.
 * Works on the text, so it also redacts URIs that do not parse; parameter names (even
 * percent-encoded) and non-secret values are kept, so the result still says which key it is.
 *
 * @example
 * ```ts
 * import { redactUri } from '@sealstream/kms';
 * console.log(redactUri('aws:///alias/backup?AUTH=specified&AWS_SECRET_ACCESS_KEY=abc&REGION=us-east-1'));
 * // aws:///alias/backup?AUTH=specified&AWS_SECRET_ACCESS_KEY=redacted&REGION=us-east-1
 * ```
 */
export function redactUri(uri: string): string {
  if (typeof uri !== 'string') return `<${typeof uri}>`;
  let rest = uri;
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
  // user:password@ in the authority (scheme://user:pass@host/...): hide both. Up to the last
  // `@`, so a password holding a `/` (which moves it into the parsed path) is still hidden.
  rest = rest.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)(.*)@/s, `$1${REDACTED}@`);
  if (query === undefined) return rest + fragment;
  const pairs = query.split(/([&;])/).map((part) => {
    if (part === '&' || part === ';') return part;
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    if (eq < 0) return isSecretParam(decodeName(name)) ? `${name}=${REDACTED}` : part;
    return isSecretParam(decodeName(name)) ? `${name}=${REDACTED}` : part;
  });
  return `${rest}?${pairs.join('')}${fragment}`;
}
