import { SealstreamError } from '@sealstream/streams';

/** Stable codes of {@link KdfError}. */
export type KdfErrorCode =
  /** The parameters are malformed: wrong type, unknown algorithm, missing or extra field. */
  | 'ERR_KDF_PARAMS_INVALID'
  /** The parameters are well formed but exceed (or fall below) the accepted bounds. */
  | 'ERR_KDF_PARAMS_OUT_OF_BOUNDS'
  /** The chosen engine is unknown or unavailable for the algorithm. */
  | 'ERR_KDF_ENGINE_UNAVAILABLE';

/**
 * A key-derivation failure. Messages name the offending field and the bound, never the passphrase.
 *
 * @example
 * ```ts
 * import { decodeKdfParams, KdfError } from '@sealstream/kdf';
 * try {
 *   decodeKdfParams({ algorithm: 'argon2id', memoryKiB: 8388608, iterations: 3, parallelism: 1, salt: 'AAAAAAAAAAAAAAAAAAAAAA==' });
 * } catch (e) {
 *   if (e instanceof KdfError) console.log(e.code); // ERR_KDF_PARAMS_OUT_OF_BOUNDS
 * }
 * ```
 */
export class KdfError extends SealstreamError {
  declare readonly code: KdfErrorCode;

  constructor(code: KdfErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
