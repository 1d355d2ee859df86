/**
 * Size of a local-kms key in bytes (and of its key file).
 *
 * @example
 * ```ts
 * import { LOCAL_KEY_BYTES } from '@sealstream/kms';
 * console.log(LOCAL_KEY_BYTES); // 32
 * ```
 */
export const LOCAL_KEY_BYTES = 32;

/**
 * A fresh random 32-byte local-kms master key from `crypto.getRandomValues`. Store it with
 * `writeLocalKeyFile` from `@sealstream/kms/node` (the file is the raw 32 bytes, mode 0600).
 *
 * @example
 * ```ts
 * import { generateLocalKey } from '@sealstream/kms';
 * console.log(generateLocalKey().length); // 32
 * ```
 */
export function generateLocalKey(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(LOCAL_KEY_BYTES));
}
