import { registerKmsProvider } from '@sealstream/kms';
import { azureKeyWrapper } from './azureKeyWrapper.ts';

/**
 * Registers the `azure-kms` scheme with the @sealstream/kms provider registry, so
 * `createKeyWrapper('azure-kms:///…')` (and the CLI's `--kms`) use {@link azureKeyWrapper}.
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
  registerKmsProvider('azure-kms', azureKeyWrapperFactory);
}

/** The registered factory (one function, so registering twice is harmless). */
function azureKeyWrapperFactory(uri: URL) {
  return azureKeyWrapper(uri);
}
