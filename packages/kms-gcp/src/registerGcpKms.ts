import { registerKmsProvider } from '@sealstream/kms';
import { createGcpKeyWrapper } from './createGcpKeyWrapper.ts';

/**
 * Registers the `gs` KMS scheme with the @sealstream/kms provider registry, so
 * `createKeyWrapper('gs:///projects/…')` (and the CLI's `--kms`) use {@link createGcpKeyWrapper}.
 * The Google SDK is still only loaded when a key is first used.
 *
 * @example
 * ```ts
 * import { registerGcpKms } from '@sealstream/kms-gcp';
 * registerGcpKms();
 * ```
 */
export function registerGcpKms(): void {
  registerKmsProvider('gs', createGcpKeyWrapperFactory);
}

/** The registered factory (one function, so registering twice is harmless). */
function createGcpKeyWrapperFactory(uri: URL) {
  return createGcpKeyWrapper(uri);
}
