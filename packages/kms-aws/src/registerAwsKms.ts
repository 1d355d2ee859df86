import { createAwsKeyWrapper } from './createAwsKeyWrapper.ts';

/**
 * Registers the `aws` scheme with the @sealstream/kms provider registry, so
 * `createKeyWrapper('aws:///…')` (and the CLI's `--kms`) use {@link createAwsKeyWrapper}.
 * Idempotent. The AWS SDK is still only loaded when a key is first used.
 *
 * @example
 * ```ts
 * import { registerAwsKms } from '@sealstream/kms-aws';
 * await registerAwsKms();
 * ```
 */
export async function registerAwsKms(): Promise<void> {
  const kms = (await import('@sealstream/kms')) as Record<string, unknown>;
  const register = kms.registerKmsProvider as ((scheme: string, factory: (uri: URL) => unknown) => void) | undefined;
  if (typeof register !== 'function') throw new Error('@sealstream/kms does not export registerKmsProvider');
  register('aws', (uri: URL) => createAwsKeyWrapper(uri));
}
