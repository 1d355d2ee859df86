import { SealstreamError } from '@sealstream/streams';

/** Stable codes of {@link KmsError} (see docs/ERRORS.md). */
export type KmsErrorCode =
  | 'ERR_KMS_BAD_URI'
  | 'ERR_KMS_UNKNOWN_SCHEME'
  | 'ERR_KMS_WRONG_KEY'
  | 'ERR_KMS_BAD_WRAPPED_KEY'
  | 'ERR_KMS_UNAVAILABLE'
  | 'ERR_KMS_ACCESS_DENIED'
  | 'ERR_KMS_KEY_UNUSABLE'
  | 'ERR_KMS_TIMEOUT'
  | 'ERR_KMS_WRAP_FAILED'
  | 'ERR_KMS_UNWRAP_FAILED'
  | 'ERR_KMS_NO_USABLE_KEY'
  | 'ERR_KMS_INSECURE_KEY_FILE'
  | 'ERR_KMS_BAD_KEY_FILE'
  | 'ERR_KMS_KEY_FILE_EXISTS'
  | 'ERR_KMS_TOO_MANY_ENTRIES';

/**
 * A typed failure of a key wrapper, the registry or the envelope. The message names keys by their
 * redacted URI only and never contains key material, a passphrase or a credential.
 *
 * @example
 * ```ts
 * import { KmsError, parseKmsUri } from '@sealstream/kms';
 * try {
 *   parseKmsUri('not a uri');
 * } catch (e) {
 *   if (e instanceof KmsError) console.log(e.code); // ERR_KMS_BAD_URI
 * }
 * ```
 */
export class KmsError extends SealstreamError {
  declare readonly code: KmsErrorCode;

  constructor(code: KmsErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
