import { collect, fromBytes } from '@sealstream/streams';
import { type DecryptOptions, decryptStream } from './decryptStream.ts';

/**
 * Opens a sealed byte array in one call: {@link decryptStream} applied to a one-chunk stream.
 * Rejects with an {@link AeadError} as the stream does; never returns partial plaintext.
 *
 * @example
 * ```ts
 * import { decrypt, encrypt } from '@sealstream/aead';
 * const key = crypto.getRandomValues(new Uint8Array(32));
 * const opened = await decrypt(key, await encrypt(key, new Uint8Array([1, 2])));
 * console.assert(opened.join() === '1,2');
 * ```
 */
export async function decrypt(
  key: Uint8Array,
  ciphertext: Uint8Array,
  options?: DecryptOptions,
): Promise<Uint8Array> {
  if (!(ciphertext instanceof Uint8Array))
    throw new TypeError('decrypt: ciphertext must be a Uint8Array');
  const transform = decryptStream(key, options);
  return collect(fromBytes(ciphertext).pipeThrough(transform));
}
