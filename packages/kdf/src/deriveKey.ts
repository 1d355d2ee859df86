import { type Argon2Engine, argon2idHash } from './argon2idHash.ts';
import { checkKdfParams } from './checkKdfParams.ts';
import type { KdfLimits } from './KdfLimits.ts';
import type { KdfParams } from './KdfParams.ts';
import { type Pbkdf2Engine, pbkdf2Sha256 } from './pbkdf2Sha256.ts';

/**
 * Length of every key {@link deriveKey} returns, in bytes.
 *
 * @example
 * ```ts
 * import { DERIVED_KEY_BYTES } from '@sealstream/kdf';
 * console.log(DERIVED_KEY_BYTES); // 32
 * ```
 */
export const DERIVED_KEY_BYTES = 32;

/** Options of {@link deriveKey}. */
export interface DeriveKeyOptions {
  /**
   * Which implementation computes the KDF. Default: `hash-wasm` for argon2id, `webcrypto` for
   * pbkdf2-sha256 (`noble` when WebCrypto is missing). An engine that does not fit the algorithm
   * throws `ERR_KDF_ENGINE_UNAVAILABLE`.
   */
  engine?: Argon2Engine | Pbkdf2Engine;
  /** Bounds the parameters must respect (default {@link DEFAULT_KDF_LIMITS}). */
  limits?: Partial<KdfLimits>;
}

/**
 * Turns `passphrase` into a 32-byte key under `params`.
 *
 * A string passphrase is normalised to Unicode NFC, then encoded as UTF-8, so the same passphrase
 * typed on different systems (composed vs decomposed accents) gives the same key. A `Uint8Array`
 * is used as is; an empty passphrase is refused (`RangeError`). The parameters are checked first ({@link checkKdfParams} with `options.limits`),
 * so nothing is computed for a malformed or out-of-bounds request.
 *
 * @example
 * ```ts
 * import { defaultKdfParams, deriveKey } from '@sealstream/kdf';
 * const params = defaultKdfParams('pbkdf2-sha256');
 * const key = await deriveKey('correct horse battery staple', params);
 * console.log(key.length); // 32
 * ```
 */
export async function deriveKey(
  passphrase: string | Uint8Array,
  params: KdfParams,
  options: DeriveKeyOptions = {},
): Promise<Uint8Array> {
  let password: Uint8Array;
  if (typeof passphrase === 'string')
    password = new TextEncoder().encode(passphrase.normalize('NFC'));
  else if (passphrase instanceof Uint8Array) password = passphrase;
  else
    throw new TypeError(
      `deriveKey: passphrase must be a string or a Uint8Array, received ${typeof passphrase}`,
    );
  const p = checkKdfParams(params, options.limits);
  if (password.length === 0) throw new RangeError('deriveKey: the passphrase is empty');
  const { engine } = options;
  if (p.algorithm === 'argon2id') {
    return argon2idHash(
      password,
      p.salt,
      {
        memoryKiB: p.memoryKiB,
        iterations: p.iterations,
        parallelism: p.parallelism,
        length: DERIVED_KEY_BYTES,
      },
      engine as Argon2Engine | undefined,
    );
  }
  return pbkdf2Sha256(
    password,
    p.salt,
    p.iterations,
    DERIVED_KEY_BYTES,
    engine as Pbkdf2Engine | undefined,
  );
}
