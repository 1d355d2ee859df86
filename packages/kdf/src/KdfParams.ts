/**
 * Self-describing parameters of a passphrase KDF, salt included. Serialise them with
 * {@link encodeKdfParams} and read them back with {@link decodeKdfParams}.
 *
 * - `argon2id`: RFC 9106 Argon2id v1.3 with `memoryKiB` KiB of memory, `iterations` passes and
 *   `parallelism` lanes; 32-byte output; no secret, no associated data.
 * - `pbkdf2-sha256`: RFC 8018 PBKDF2 with HMAC-SHA256, `iterations` rounds; 32-byte output.
 *
 * @example
 * ```ts
 * import type { KdfParams } from '@sealstream/kdf';
 * const params: KdfParams = { algorithm: 'pbkdf2-sha256', iterations: 600_000, salt: new Uint8Array(16) };
 * ```
 */
export type KdfParams =
  | {
      algorithm: 'argon2id';
      memoryKiB: number;
      iterations: number;
      parallelism: number;
      salt: Uint8Array;
    }
  | { algorithm: 'pbkdf2-sha256'; iterations: number; salt: Uint8Array };

/** The algorithms {@link KdfParams} can name. */
export type KdfAlgorithm = KdfParams['algorithm'];

/**
 * The algorithm names, in order of preference (the first is the default).
 *
 * @example
 * ```ts
 * import { KDF_ALGORITHMS } from '@sealstream/kdf';
 * console.log(KDF_ALGORITHMS[0]); // argon2id
 * ```
 */
export const KDF_ALGORITHMS: readonly KdfAlgorithm[] = ['argon2id', 'pbkdf2-sha256'];
