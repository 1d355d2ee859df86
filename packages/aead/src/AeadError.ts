import { SealstreamError } from '@sealstream/streams';

/** The stable codes an {@link AeadError} carries; see docs/ERRORS.md. */
export type AeadErrorCode =
  | 'ERR_AEAD_BAD_HEADER'
  | 'ERR_AEAD_UNSUPPORTED_VERSION'
  | 'ERR_AEAD_KEY_MISMATCH'
  | 'ERR_AEAD_TAMPERED'
  | 'ERR_AEAD_TRUNCATED'
  | 'ERR_AEAD_TRAILING_DATA';

/**
 * A sealed stream could not be opened. Branch on `code`:
 * - `ERR_AEAD_BAD_HEADER`: not a sealstream ciphertext, or a malformed header;
 * - `ERR_AEAD_UNSUPPORTED_VERSION`: a sealstream ciphertext of a format version this code does not read;
 * - `ERR_AEAD_KEY_MISMATCH`: the key commitment in the header does not match: wrong key, wrong
 *   associated data, or a damaged header (detected before any segment is read);
 * - `ERR_AEAD_TAMPERED`: a segment failed authentication;
 * - `ERR_AEAD_TRUNCATED`: the stream ends before its last segment;
 * - `ERR_AEAD_TRAILING_DATA`: bytes follow the last segment.
 *
 * @example
 * ```ts
 * import { AeadError, decrypt, encrypt } from '@sealstream/aead';
 * const sealed = await encrypt(new Uint8Array(32), new Uint8Array([1, 2, 3]));
 * try {
 *   await decrypt(new Uint8Array(32).fill(1), sealed);
 * } catch (e) {
 *   console.assert(e instanceof AeadError && e.code === 'ERR_AEAD_KEY_MISMATCH');
 * }
 * ```
 */
export class AeadError extends SealstreamError {
  declare readonly code: AeadErrorCode;

  constructor(code: AeadErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
