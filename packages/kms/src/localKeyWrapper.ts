import { encodeHex } from '@sealstream/streams';
import { checkDek } from './checkDek.ts';
import { LOCAL_KEY_BYTES } from './generateLocalKey.ts';
import type { KeyWrapper, WrappedKey } from './KeyWrapper.ts';
import { KmsError } from './KmsError.ts';
import { redactUri } from './redactUri.ts';
import { keyIdOf, openDek, sealDek } from './sealedDek.ts';

const SCHEME = 'local-kms';
const DOMAIN = 'sealstream/local-kms/v1';

/**
 * A {@link KeyWrapper} over a 32-byte local master key (scheme `local-kms`), using AES-256-GCM
 * through WebCrypto; web tier, no file access (`@sealstream/kms/node` reads key files).
 *
 * - `id` is the key's public fingerprint: 32 hex digits of HKDF-SHA256(key, "sealstream/kek-id/v1").
 *   It never contains the key, and it does not depend on the file's path, so a moved key file
 *   still matches its entries. `matches` compares scheme and id.
 * - `redactedUri` is `uri` (redacted) when given — typically `local-kms:///path/to/key` — else
 *   `local-kms:<id>`.
 * - The wrapped blob is 77 bytes (its layout: packages/kms/README.md, "Wrapped blob of the
 *   built-in wrappers"); `context` is bound as associated data.
 *   Unwrap with another key → `ERR_KMS_WRONG_KEY`; tampered blob or other context →
 *   `ERR_KMS_BAD_WRAPPED_KEY`.
 *
 * @example
 * ```ts
 * import { generateLocalKey, localKeyWrapper } from '@sealstream/kms';
 * const wrapper = localKeyWrapper(generateLocalKey(), 'local-kms:///tmp/demo.key');
 * const dek = crypto.getRandomValues(new Uint8Array(32));
 * const entry = await wrapper.wrap(dek);
 * console.log((await wrapper.unwrap(entry)).length); // 32
 * ```
 */
export function localKeyWrapper(key: Uint8Array, uri?: string): KeyWrapper {
  if (!(key instanceof Uint8Array) || key.length !== LOCAL_KEY_BYTES) {
    throw new RangeError(
      `localKeyWrapper: the key must be ${LOCAL_KEY_BYTES} bytes, received ${key instanceof Uint8Array ? `${key.length} bytes` : typeof key}`,
    );
  }
  const material = new Uint8Array(key); // a real copy (Buffer#slice is a view)
  const id = encodeHex(keyIdOf(material));
  const redactedUri = uri === undefined ? `${SCHEME}:${id}` : redactUri(uri);
  return {
    scheme: SCHEME,
    id,
    redactedUri,
    async wrap(dek: Uint8Array, context?: Uint8Array): Promise<WrappedKey> {
      checkDek(dek, redactedUri);
      return { scheme: SCHEME, id, wrapped: await sealDek(material, dek, DOMAIN, context) };
    },
    async unwrap(entry: WrappedKey, context?: Uint8Array): Promise<Uint8Array> {
      if (entry?.scheme !== SCHEME) {
        throw new KmsError(
          'ERR_KMS_WRONG_KEY',
          `${redactedUri}: the entry was made by a "${String(entry?.scheme)}" key, not local-kms`,
        );
      }
      return openDek(material, entry.wrapped, DOMAIN, redactedUri, context);
    },
    identify: async () => id,
    matches(entry: WrappedKey): boolean {
      return entry?.scheme === SCHEME && entry.id === id;
    },
  };
}
