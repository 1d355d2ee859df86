import { decodeBase64 } from '@sealstream/streams';
import { checkKdfParams, describe } from './checkKdfParams.ts';
import { KdfError } from './KdfError.ts';
import { DEFAULT_KDF_LIMITS, type KdfLimits } from './KdfLimits.ts';
import type { KdfParams } from './KdfParams.ts';

/**
 * Reads parameters written by {@link encodeKdfParams}, strictly: a plain object with exactly the
 * fields of its algorithm, integer costs, canonical base64 salt — and every cost within `limits`
 * (default {@link DEFAULT_KDF_LIMITS}). All checks happen before any derivation, and the salt's
 * length is checked before it is decoded, so a hostile file costs nothing.
 *
 * Throws {@link KdfError}: `ERR_KDF_PARAMS_INVALID` when malformed, `ERR_KDF_PARAMS_OUT_OF_BOUNDS`
 * when a cost or the salt length is beyond `limits`.
 *
 * @example
 * ```ts
 * import { decodeKdfParams, defaultKdfParams, encodeKdfParams } from '@sealstream/kdf';
 * const stored = JSON.parse(JSON.stringify(encodeKdfParams(defaultKdfParams())));
 * const params = decodeKdfParams(stored);
 * console.log(params.algorithm); // argon2id
 * ```
 */
export function decodeKdfParams(json: unknown, limits: Partial<KdfLimits> = {}): KdfParams {
  const lim: KdfLimits = { ...DEFAULT_KDF_LIMITS, ...limits };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new KdfError(
      'ERR_KDF_PARAMS_INVALID',
      `Invalid KDF parameters: expected an object, received ${describe(json)}`,
    );
  }
  const proto = Object.getPrototypeOf(json);
  if (proto !== Object.prototype && proto !== null) {
    throw new KdfError('ERR_KDF_PARAMS_INVALID', 'Invalid KDF parameters: expected a plain object');
  }
  const { salt, ...rest } = json as Record<string, unknown>;
  if (typeof salt !== 'string') {
    throw new KdfError(
      'ERR_KDF_PARAMS_INVALID',
      `Invalid KDF parameters: salt must be a base64 string, received ${describe(salt)}`,
    );
  }
  const maxChars = 4 * Math.ceil(lim.maxSaltBytes / 3);
  if (salt.length > maxChars) {
    throw new KdfError(
      'ERR_KDF_PARAMS_OUT_OF_BOUNDS',
      `KDF parameters out of bounds: salt of ${salt.length} base64 characters exceeds ${lim.maxSaltBytes} bytes`,
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = decodeBase64(salt);
  } catch {
    throw new KdfError(
      'ERR_KDF_PARAMS_INVALID',
      'Invalid KDF parameters: salt is not canonical padded base64',
    );
  }
  return checkKdfParams({ ...rest, salt: bytes } as KdfParams, lim);
}
