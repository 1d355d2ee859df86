import { registerKmsProvider } from '@sealstream/kms';
import { createAzureKeyWrapper } from './createAzureKeyWrapper.ts';

/**
 * Registers the `azure-kms` scheme with the @sealstream/kms provider registry, so
 * `createKeyWrapper('azure-kms:///…')` (and the CLI's `--kms`) use {@link createAzureKeyWrapper}.
 * The Azure SDKs are still only loaded when a key is first used. To trust a private CA from the
 * CLI, set `NODE_EXTRA_CA_CERTS`.
 *
 * @example
 * ```ts
 * import { registerAzureKms } from '@sealstream/kms-azure';
 * registerAzureKms();
 * ```
 */
export function registerAzureKms(): void {
  registerKmsProvider('azure-kms', createAzureKeyWrapperFactory);
}

/** The registered factory (one function, so registering twice is harmless). */
function createAzureKeyWrapperFactory(uri: URL) {
  return createAzureKeyWrapper(uri);
}
