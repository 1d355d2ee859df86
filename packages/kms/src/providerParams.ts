import type { KmsError } from './KmsError.ts';

/** A cloud provider URI's query parameters and its `AUTH` mode, as read by {@link providerParams}. */
export interface ProviderParams {
  /** Each parameter given, by name (once each, never empty). */
  params: Map<string, string>;
  /** `AUTH`, lowercased: `specified` (the default) or `implicit`. */
  auth: 'specified' | 'implicit';
}

/**
 * Reads the query of a cloud provider's KMS URI the way every provider does: each name must be in
 * `allowed`, given once and not empty, and `AUTH` must be `specified` (the default) or
 * `implicit`, in any case. Otherwise throws what `bad(why)` makes (an `ERR_KMS_BAD_URI` naming
 * the redacted URI).
 *
 * @example
 * ```ts
 * import { KmsError, providerParams } from '@sealstream/kms';
 * const bad = (why: string) => new KmsError('ERR_KMS_BAD_URI', `Invalid URI: ${why}`);
 * const { params, auth } = providerParams(new URL('aws:///k?REGION=eu&AUTH=implicit'), ['AUTH', 'REGION'], bad);
 * console.log(params.get('REGION'), auth); // eu implicit
 * ```
 */
export function providerParams(
  url: URL,
  allowed: readonly string[],
  bad: (why: string) => KmsError,
): ProviderParams {
  const params = new Map<string, string>();
  for (const [name, value] of url.searchParams) {
    if (!allowed.includes(name))
      throw bad(`unknown parameter ${name} (allowed: ${allowed.join(', ')})`);
    if (params.has(name)) throw bad(`parameter ${name} given twice`);
    if (value === '') throw bad(`parameter ${name} is empty`);
    params.set(name, value);
  }
  const auth = (params.get('AUTH') ?? 'specified').toLowerCase();
  if (auth !== 'specified' && auth !== 'implicit')
    throw bad(`AUTH must be specified or implicit, not "${auth}"`);
  return { params, auth };
}
