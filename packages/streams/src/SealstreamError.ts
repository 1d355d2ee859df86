/**
 * The base of every error sealstream throws on purpose. Callers branch on the stable
 * {@link SealstreamError.code}, never on the message.
 *
 * Codes are listed in docs/ERRORS.md. A message never contains a secret (key material,
 * passphrase, credential or a URI's secret parameter).
 *
 * @example
 * ```ts
 * import { SealstreamError } from '@sealstream/streams';
 * try {
 *   throw new SealstreamError('ERR_EXAMPLE', 'something went wrong');
 * } catch (e) {
 *   if (e instanceof SealstreamError && e.code === 'ERR_EXAMPLE') console.log('handled');
 * }
 * ```
 */
export class SealstreamError extends Error {
  /** A stable, machine-readable code such as `ERR_AEAD_TAMPERED`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
  }
}

/** True when `e` is a {@link SealstreamError}, optionally with the given code. */
export function isSealstreamError(e: unknown, code?: string): e is SealstreamError {
  return e instanceof SealstreamError && (code === undefined || e.code === code);
}
