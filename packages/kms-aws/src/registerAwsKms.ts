import { registerKmsProvider } from '@sealstream/kms';
import { awsKeyWrapper } from './awsKeyWrapper.ts';

/**
 * Registers the `aws` scheme with the @sealstream/kms provider registry, so
 * `createKeyWrapper('aws:///…')` (and the CLI's `--kms`) use {@link awsKeyWrapper}.
 * Idempotent. The AWS SDK is still only loaded when a key is first used.
 *
 * @example
 * ```ts
 * import { registerAwsKms } from '@sealstream/kms-aws';
 * registerAwsKms();
 * ```
 */
export function registerAwsKms(): void {
  registerKmsProvider('aws', awsKeyWrapperFactory);
}

/** The registered factory (one function, so registering twice is harmless). */
function awsKeyWrapperFactory(uri: URL) {
  return awsKeyWrapper(uri);
}
