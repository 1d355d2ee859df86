/**
 * Internal, not exported from the package: an `encryptStream` option under this symbol replaces
 * the random source for the salt and nonce prefix, so golden files can be reproduced.
 * Never use it outside tests: a fixed salt and prefix with a reused key reuse nonces.
 */
export const RANDOM_SOURCE: unique symbol = Symbol('sealstream.aead.randomSource');

/** Fills `length` random bytes (WebCrypto CSPRNG). */
export function randomBytes(length: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}
