/**
 * Bounds applied to KDF parameters read from a file, so a hostile file cannot make a restorer
 * allocate gigabytes or compute for minutes. Every bound is inclusive.
 *
 * @example
 * ```ts
 * import { DEFAULT_KDF_LIMITS, type KdfLimits } from '@sealstream/kdf';
 * const strict: KdfLimits = { ...DEFAULT_KDF_LIMITS, maxArgon2MemoryKiB: 256 * 1024 };
 * ```
 */
export interface KdfLimits {
  /** Largest Argon2id memory in KiB. */
  maxArgon2MemoryKiB: number;
  /** Largest number of Argon2id passes. */
  maxArgon2Iterations: number;
  /** Largest number of Argon2id lanes. */
  maxArgon2Parallelism: number;
  /** Largest number of PBKDF2 iterations. */
  maxPbkdf2Iterations: number;
  /** Shortest salt in bytes. */
  minSaltBytes: number;
  /** Longest salt in bytes. */
  maxSaltBytes: number;
}

/**
 * The default bounds: Argon2id ≤ 1 GiB of memory, ≤ 20 passes, ≤ 16 lanes (worst case about 40 s
 * with hash-wasm on the reference machine); PBKDF2 ≤ 10,000,000 iterations (about 4 s with
 * WebCrypto); salts of 8 to 256 bytes.
 *
 * @example
 * ```ts
 * import { DEFAULT_KDF_LIMITS } from '@sealstream/kdf';
 * console.log(DEFAULT_KDF_LIMITS.maxArgon2MemoryKiB); // 1048576
 * ```
 */
export const DEFAULT_KDF_LIMITS: Readonly<KdfLimits> = Object.freeze({
  maxArgon2MemoryKiB: 1024 * 1024,
  maxArgon2Iterations: 20,
  maxArgon2Parallelism: 16,
  maxPbkdf2Iterations: 10_000_000,
  minSaltBytes: 8,
  maxSaltBytes: 256,
});
