import { SealstreamError } from '@sealstream/streams';

/**
 * A metadata file (ENCRYPTION_INFO or a sealed manifest) is malformed, fails its checksum, or
 * does not belong where it was found. `file` names the file (a storage key), never a secret.
 *
 * Codes: `ERR_MANIFEST_INVALID` (malformed or fails validation), `ERR_MANIFEST_CHECKSUM`
 * (checksum mismatch), `ERR_MANIFEST_UNSUPPORTED_VERSION`, `ERR_MANIFEST_WRONG_KEY` (the data
 * key does not match the DEK check value), `ERR_MANIFEST_TOO_LARGE`, `ERR_MANIFEST_CHAIN_BROKEN`,
 * `ERR_MANIFEST_NOT_AUTHENTIC` (an ENCRYPTION_INFO generation's MAC does not verify).
 */
export class ManifestError extends SealstreamError {
  readonly file: string | undefined;

  constructor(code: string, message: string, options?: { file?: string; cause?: unknown }) {
    super(code, options?.file ? `${options.file}: ${message}` : message, options);
    this.file = options?.file;
  }
}
