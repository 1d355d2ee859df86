/**
 * Internal, not exported from the package: an `encryptStream` option under this symbol replaces
 * the random source for the salt and nonce prefix, so golden files can be reproduced.
 * Never use it outside tests: a fixed salt and prefix with a reused key reuse nonces.
 */
export const RANDOM_SOURCE: unique symbol = Symbol('sealstream.aead.randomSource');

/** Bytes drawn from the CSPRNG at once, handed out in small pieces by {@link randomBytes}. */
const POOL_BYTES = 4096;
let pool = new Uint8Array(0);
let used = 0;

/**
 * `length` fresh random bytes from the WebCrypto CSPRNG. Small requests (a stream's salt and
 * nonce prefix) are cut from a pool filled 4 KiB at a time — one call where a backup of small
 * files made two per blob, each costing several microseconds. No byte is handed out twice.
 */
export function randomBytes(length: number): Uint8Array {
  if (length > POOL_BYTES / 8) return globalThis.crypto.getRandomValues(new Uint8Array(length));
  if (used + length > pool.length) {
    pool = globalThis.crypto.getRandomValues(new Uint8Array(POOL_BYTES));
    used = 0;
  }
  const out = pool.slice(used, used + length);
  used += length;
  return out;
}
