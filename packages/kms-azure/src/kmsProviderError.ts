import { SealstreamError } from '@sealstream/streams';

/** The stable codes a cloud KMS provider throws (see docs/ERRORS.md). */
export type KmsErrorCode =
  | 'ERR_KMS_BAD_URI'
  | 'ERR_KMS_WRONG_KEY'
  | 'ERR_KMS_UNAVAILABLE'
  | 'ERR_KMS_ACCESS_DENIED'
  | 'ERR_KMS_BAD_WRAPPED_KEY'
  | 'ERR_KMS_KEY_UNUSABLE';

/**
 * A typed KMS failure raised by a cloud provider. Callers branch on `code`; the message names the
 * key by its redacted URI and never contains a secret.
 *
 * @example
 * ```ts
 * import { KmsProviderError } from '@sealstream/kms-azure';
 * const e = new KmsProviderError('ERR_KMS_UNAVAILABLE', 'Azure Key Vault azure-kms:///k/v?AZURE_VAULT_NAME=vault: unreachable');
 * console.log(e.code); // 'ERR_KMS_UNAVAILABLE'
 * ```
 */
export class KmsProviderError extends SealstreamError {
  declare readonly code: KmsErrorCode;
  constructor(code: KmsErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
