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
 * await registerAzureKms();
 * ```
 */
export async function registerAzureKms(): Promise<void> {
  const kms = (await import('@sealstream/kms')) as Record<string, unknown>;
  const register = kms.registerKmsProvider as ((scheme: string, factory: (uri: URL) => unknown) => void) | undefined;
  if (typeof register !== 'function') throw new Error('@sealstream/kms does not export registerKmsProvider');
  register('azure-kms', (uri: URL) => createAzureKeyWrapper(uri));
}
