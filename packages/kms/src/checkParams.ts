import { bareQueryNames } from '@sealstream/streams';
import { KmsError } from './KmsError.ts';
import { redactUri } from './redactUri.ts';

/**
 * Checks a KMS URI's query parameters: each must be in `allowed` (or `required`), appear once,
 * and every name in `required` must be present with a non-empty value. Anything else throws
 * {@link KmsError} `ERR_KMS_BAD_URI` naming the redacted URI and the offending parameter
 * names (never a value). Names are case-sensitive, as in CockroachDB's URIs. Returns the
 * parameters as a plain object for convenience.
 *
 * @example
 * ```ts
 * import { checkParams, parseKmsUri } from '@sealstream/kms';
 * const url = parseKmsUri('aws:///alias/k?REGION=eu-west-1&AUTH=implicit');
 * const p = checkParams(url, ['AUTH', 'REGION', 'AWS_ENDPOINT'], ['REGION']);
 * console.log(p.REGION); // eu-west-1
 * ```
 */
export function checkParams(
  url: URL,
  allowed: readonly string[],
  required: readonly string[] = [],
): Record<string, string> {
  const shown = redactUri(url.href);
  const known = new Set([...allowed, ...required]);
  const out: Record<string, string> = {};
  const unknown: string[] = [];
  const repeated: string[] = [];
  for (const [name, value] of url.searchParams) {
    if (!known.has(name)) unknown.push(name);
    else if (Object.hasOwn(out, name)) repeated.push(name);
    else out[name] = value;
  }
  const list = (names: readonly string[]): string =>
    names.length === 0 ? '(none)' : names.join(', ');
  if (unknown.length > 0) {
    // A bare word (no `=`) may be a pasted secret: redactUri hides it, and so does this.
    const bare = bareQueryNames(url);
    const named = unknown.map((n) => (bare.has(n) ? '(a name without a value, not shown)' : n));
    throw new KmsError(
      'ERR_KMS_BAD_URI',
      `KMS URI "${shown}": unknown parameter${unknown.length > 1 ? 's' : ''} ${list(named)}; allowed: ${list([...known])}`,
    );
  }
  if (repeated.length > 0) {
    throw new KmsError(
      'ERR_KMS_BAD_URI',
      `KMS URI "${shown}": parameter ${list(repeated)} given more than once`,
    );
  }
  const missing = required.filter((name) => !out[name]);
  if (missing.length > 0) {
    throw new KmsError(
      'ERR_KMS_BAD_URI',
      `KMS URI "${shown}": missing required parameter${missing.length > 1 ? 's' : ''} ${list(missing)}`,
    );
  }
  return out;
}
