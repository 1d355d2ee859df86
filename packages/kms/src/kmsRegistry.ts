import type { KeyWrapper, KeyWrapperFactory } from './KeyWrapper.ts';
import { KmsError } from './KmsError.ts';
import { parseKmsUri, schemeOf } from './parseKmsUri.ts';
import { noteKmsScheme } from './redactUri.ts';

const providers = new Map<string, KeyWrapperFactory>();
/** Schemes an error may name although no provider is registered for them. */
const WELL_KNOWN_SCHEMES = ['aws', 'gs', 'azure-kms', 'local-kms', 'passphrase', 's3', 'file'];

function normaliseScheme(scheme: string): string {
  const s = typeof scheme === 'string' ? scheme.replace(/:$/, '').toLowerCase() : '';
  if (!/^[a-z][a-z0-9+.-]*$/.test(s)) {
    throw new TypeError(
      `registerKmsProvider: scheme must look like "aws" or "local-kms", received ${JSON.stringify(scheme)}`,
    );
  }
  return s;
}

/**
 * Registers the factory that makes a {@link KeyWrapper} for URIs of `scheme` (`aws`, `gs`,
 * `azure-kms`, `local-kms`, …). Registering the same factory again is a no-op; registering a
 * different factory for a taken scheme throws unless `options.replace` is set. Nothing is
 * registered by default: `local-kms` comes from `@sealstream/kms/node` (`registerLocalKms()`),
 * cloud providers from their own packages.
 *
 * @example
 * ```ts
 * import { createKeyWrapper, localKeyWrapper, generateLocalKey, registerKmsProvider } from '@sealstream/kms';
 * const key = generateLocalKey();
 * registerKmsProvider('demo-kms', (url) => localKeyWrapper(key, url.href));
 * const wrapper = await createKeyWrapper('demo-kms:///one');
 * console.log(wrapper.scheme); // local-kms
 * ```
 */
export function registerKmsProvider(
  scheme: string,
  factory: KeyWrapperFactory,
  options: { replace?: boolean } = {},
): void {
  const s = normaliseScheme(scheme);
  if (typeof factory !== 'function')
    throw new TypeError(`registerKmsProvider: factory for "${s}" must be a function`);
  const existing = providers.get(s);
  if (existing !== undefined && existing !== factory && options.replace !== true) {
    throw new TypeError(
      `registerKmsProvider: scheme "${s}" already has a provider; pass { replace: true } to replace it`,
    );
  }
  providers.set(s, factory);
  noteKmsScheme(s);
}

/**
 * Removes the provider of `scheme`; returns whether there was one. Mostly for tests.
 *
 * @example
 * ```ts
 * import { unregisterKmsProvider } from '@sealstream/kms';
 * console.log(unregisterKmsProvider('never-registered')); // false
 * ```
 */
export function unregisterKmsProvider(scheme: string): boolean {
  return providers.delete(normaliseScheme(scheme));
}

/**
 * The schemes that currently have a provider, sorted.
 *
 * @example
 * ```ts
 * import { kmsSchemes } from '@sealstream/kms';
 * console.log(kmsSchemes()); // e.g. [ 'aws', 'local-kms' ]
 * ```
 */
export function kmsSchemes(): string[] {
  return [...providers.keys()].sort();
}

/**
 * Makes the {@link KeyWrapper} for a KMS URI through the provider registered for its scheme.
 * Throws {@link KmsError} `ERR_KMS_BAD_URI` for a malformed URI and `ERR_KMS_UNKNOWN_SCHEME`
 * (listing the registered schemes) when no provider handles it; provider errors pass through.
 *
 * @example
 * ```ts
 * import { createKeyWrapper, generateLocalKey, localKeyWrapper, registerKmsProvider } from '@sealstream/kms';
 * registerKmsProvider('example-kms', (url) => localKeyWrapper(generateLocalKey(), url.href));
 * console.log((await createKeyWrapper('example-kms:///k1')).scheme); // local-kms
 * console.log(await createKeyWrapper('nope:///k1').catch((e) => e.code)); // ERR_KMS_UNKNOWN_SCHEME
 * ```
 */
export async function createKeyWrapper(uri: string): Promise<KeyWrapper> {
  const url = parseKmsUri(uri);
  const scheme = schemeOf(url);
  const factory = providers.get(scheme);
  if (factory === undefined) {
    const known = kmsSchemes();
    const hint =
      scheme === 'passphrase' ? ' (a passphrase is not a URI: use passphraseWrapper())' : '';
    // The scheme is named only when it is one sealstream knows: `hunter2:xyz` is more likely a
    // pasted passphrase than a KMS URI, and none of it is echoed.
    const named = WELL_KNOWN_SCHEMES.includes(scheme)
      ? `scheme "${scheme}"`
      : 'the scheme of this URI (not shown)';
    throw new KmsError(
      'ERR_KMS_UNKNOWN_SCHEME',
      `No KMS provider for ${named}${hint}; known schemes: ${known.length === 0 ? '(none registered)' : known.join(', ')}`,
    );
  }
  return factory(url);
}
