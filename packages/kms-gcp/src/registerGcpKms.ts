import { registerKmsProvider } from '@sealstream/kms';
import { gcpKeyWrapper } from './gcpKeyWrapper.ts';

/**
 * Registers the `gs` KMS scheme with the @sealstream/kms provider registry, so
 * `createKeyWrapper('gs:///projects/…')` (and the CLI's `--kms`) use {@link gcpKeyWrapper}.
 * The Google SDK is still only loaded when a key is first used.
 *
 * @example
 * ```ts
 * import { registerGcpKms } from '@sealstream/kms-gcp';
 * registerGcpKms();
 * ```
 */
export function registerGcpKms(): void {
  registerKmsProvider('gs', gcpKeyWrapperFactory);
}

/** The registered factory (one function, so registering twice is harmless). */
function gcpKeyWrapperFactory(uri: URL) {
  return gcpKeyWrapper(uri);
}
