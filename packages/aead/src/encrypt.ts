import { collect, fromBytes } from '@sealstream/streams';
import { type EncryptOptions, encryptStream } from './encryptStream.ts';

/**
 * Seals `plaintext` in one call: {@link encryptStream} applied to a one-chunk stream, so the
 * bytes are identical to the streaming API's.
 *
 * @example
 * ```ts
 * import { encrypt, HEADER_SIZE } from '@sealstream/aead';
 * const sealed = await encrypt(new Uint8Array(32), new Uint8Array(10));
 * console.assert(sealed.length === HEADER_SIZE + 10 + 16);
 * ```
 */
export async function encrypt(
  key: Uint8Array,
  plaintext: Uint8Array,
  options?: EncryptOptions,
): Promise<Uint8Array> {
  if (!(plaintext instanceof Uint8Array))
    throw new TypeError('encrypt: plaintext must be a Uint8Array');
  const transform = encryptStream(key, options);
  return collect(fromBytes(plaintext).pipeThrough(transform));
}
