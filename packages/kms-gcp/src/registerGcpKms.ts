import { createGcpKeyWrapper } from './createGcpKeyWrapper.ts';

/**
 * Registers the `gs` KMS scheme with the @sealstream/kms provider registry, so
 * `createKeyWrapper('gs:///projects/…')` (and the CLI's `--kms`) use {@link createGcpKeyWrapper}.
 * The Google SDK is still only loaded when a key is first used.
 *
 * @example
 * ```ts
 * import { registerGcpKms } from '@sealstream/kms-gcp';
 * await registerGcpKms();
 * ```
 */
export async function registerGcpKms(): Promise<void> {
  const kms = (await import('@sealstream/kms')) as Record<string, unknown>;
  const register = kms.registerKmsProvider as ((scheme: string, factory: (uri: URL) => unknown) => void) | undefined;
  if (typeof register !== 'function') throw new Error('@sealstream/kms does not export registerKmsProvider');
  register('gs', (uri: URL) => createGcpKeyWrapper(uri));
}
