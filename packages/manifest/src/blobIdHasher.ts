import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';

/** Largest input {@link blobIdHasher} hashes on the calling thread rather than through WebCrypto. */
const SMALL_BLOB_BYTES = 4096;

/**
 * A function that names blobs by content: `id = HMAC-SHA256(key, bytes)`, 32 bytes. Inputs of up
 * to {@link SMALL_BLOB_BYTES} are hashed on the calling thread by @noble/hashes from a keyed state
 * prepared once (a few microseconds, where a WebCrypto call costs tens of them in dispatch);
 * larger ones by WebCrypto (the key imported once), which is faster per byte. Both compute the
 * same HMAC. With the chain's chunk-id key it gives chunk ids, with
 * its tree-id key tree ids (docs/COLLECTION-FORMAT-V2.md §3). The id is a keyed MAC, never a bare
 * hash: without the key nobody can tell which content a stored id names.
 *
 * @example
 * ```ts
 * import { blobIdHasher, deriveChainKeys } from '@sealstream/manifest';
 * const keys = await deriveChainKeys(crypto.getRandomValues(new Uint8Array(32)));
 * const chunkIdOf = blobIdHasher(keys.chunkId);
 * console.log((await chunkIdOf(new TextEncoder().encode('hello'))).length); // 32
 * ```
 */
export function blobIdHasher(key: Uint8Array): (bytes: Uint8Array) => Promise<Uint8Array> {
  if (!(key instanceof Uint8Array) || key.length !== 32) {
    throw new RangeError(
      `blobIdHasher: the key must be 32 bytes, received ${key instanceof Uint8Array ? `${key.length} bytes` : typeof key}`,
    );
  }
  const keyed = hmac.create(sha256, key);
  const imported = crypto.subtle.importKey(
    'raw',
    key.slice() as Uint8Array<ArrayBuffer>,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return async (bytes) =>
    bytes.length <= SMALL_BLOB_BYTES
      ? keyed.clone().update(bytes).digest()
      : new Uint8Array(
          await crypto.subtle.sign('HMAC', await imported, bytes as Uint8Array<ArrayBuffer>),
        );
}
