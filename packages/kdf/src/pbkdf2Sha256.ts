import { pbkdf2Async } from '@noble/hashes/pbkdf2.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { KdfError } from './KdfError.ts';

/** Engines that compute PBKDF2-HMAC-SHA256. */
export type Pbkdf2Engine = 'webcrypto' | 'noble';

/**
 * True when WebCrypto (`crypto.subtle`) is available in this runtime.
 *
 * @example
 * ```ts
 * import { hasWebCrypto } from '@sealstream/kdf';
 * console.log(hasWebCrypto()); // true
 * ```
 */
export function hasWebCrypto(): boolean {
  return typeof globalThis.crypto?.subtle?.deriveBits === 'function';
}

/**
 * PBKDF2-HMAC-SHA256 (RFC 8018 §5.2) of `password` and `salt`, `length` bytes. The primitive
 * behind {@link deriveKey}: no bounds, no normalisation. `webcrypto` (the default when available)
 * is about 7× faster than `noble` (@noble/hashes, pure JS, the fallback).
 *
 * @example
 * ```ts
 * import { pbkdf2Sha256 } from '@sealstream/kdf';
 * const dk = await pbkdf2Sha256(new TextEncoder().encode('passwd'), new TextEncoder().encode('salt'), 1, 64);
 * console.log(dk.length); // 64
 * ```
 */
export async function pbkdf2Sha256(
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  length: number,
  engine: Pbkdf2Engine = hasWebCrypto() ? 'webcrypto' : 'noble',
): Promise<Uint8Array> {
  if (!Number.isSafeInteger(iterations) || iterations < 1) {
    throw new RangeError(
      `pbkdf2Sha256: iterations must be a positive integer, received ${iterations}`,
    );
  }
  if (!Number.isSafeInteger(length) || length < 1 || length > 1024) {
    throw new RangeError(`pbkdf2Sha256: length must be an integer in 1..1024, received ${length}`);
  }
  if (engine === 'noble') {
    return pbkdf2Async(sha256, password, salt, { c: iterations, dkLen: length });
  }
  if (engine !== 'webcrypto') {
    throw new KdfError(
      'ERR_KDF_ENGINE_UNAVAILABLE',
      `pbkdf2-sha256 has no engine ${JSON.stringify(engine)}; use "webcrypto" or "noble"`,
    );
  }
  if (!hasWebCrypto()) {
    throw new KdfError(
      'ERR_KDF_ENGINE_UNAVAILABLE',
      'pbkdf2-sha256: WebCrypto (crypto.subtle) is not available here; use engine "noble"',
    );
  }
  const key = await crypto.subtle.importKey('raw', new Uint8Array(password), 'PBKDF2', false, [
    'deriveBits',
  ]);
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: new Uint8Array(salt), iterations },
    key,
    length * 8,
  );
  return new Uint8Array(bits);
}
