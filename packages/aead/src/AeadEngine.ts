/**
 * AES-256-GCM keyed for one stream. Plaintext and ciphertext travel as lists of pieces whose
 * concatenation is the message, so an engine that can stream (node:crypto) never joins them.
 */
export interface SegmentCipher {
  /** Encrypts the concatenation of `plaintext`; returns ciphertext ‖ 16-byte tag as pieces. */
  seal(
    nonce: Uint8Array,
    plaintext: readonly Uint8Array[],
    aad?: Uint8Array,
  ): Uint8Array[] | Promise<Uint8Array[]>;
  /**
   * Decrypts the concatenation of `ciphertext` (ciphertext ‖ tag). Returns the plaintext pieces
   * only after the tag verified, or `null` when authentication fails.
   */
  open(
    nonce: Uint8Array,
    ciphertext: readonly Uint8Array[],
    aad?: Uint8Array,
  ): Uint8Array[] | null | Promise<Uint8Array[] | null>;
  /**
   * Seals the n messages of `batch` into `out`, one after the other from `out[0]`: message i as
   * ciphertext ‖ 16-byte tag. `out` holds exactly the plaintexts' length plus 16 bytes each. The
   * same bytes as {@link SegmentCipher.seal} of each message; meant for many short messages
   * (the blobs of a pack), which an engine with threads seals in one job on another thread.
   * Optional: a caller without it seals each message.
   */
  sealEach?(out: Uint8Array, batch: SealBatch): Promise<void>;
}

/**
 * Messages to seal at once ({@link SegmentCipher.sealEach}), packed: message i is the next
 * `plaintextLengths[i]` bytes of `plaintexts`, under nonce `nonces[12i .. 12i + 12)` with the
 * next `aadLengths[i]` bytes of `aads` as additional data.
 *
 * @example
 * ```ts
 * import type { SealBatch } from '@sealstream/aead';
 * const batch: SealBatch = {
 *   nonces: new Uint8Array(24).fill(1, 12),
 *   plaintexts: new Uint8Array([1, 2, 3, 4, 5]),
 *   plaintextLengths: new Uint32Array([2, 3]),
 *   aads: new Uint8Array([9]),
 *   aadLengths: new Uint32Array([1, 0]),
 * };
 * console.assert(batch.nonces.length === 12 * batch.plaintextLengths.length);
 * ```
 */
export interface SealBatch {
  nonces: Uint8Array;
  plaintexts: Uint8Array;
  plaintextLengths: Uint32Array;
  aads: Uint8Array;
  aadLengths: Uint32Array;
}

/**
 * A source of the two primitives the format needs: HKDF-SHA256 and AES-256-GCM. Built in:
 * `webcryptoEngine`, `nobleEngine` and (Node only) `nodeEngine`; all produce identical bytes.
 *
 * @example
 * ```ts
 * import { encrypt, nobleEngine } from '@sealstream/aead';
 * const sealed = await encrypt(new Uint8Array(32), new Uint8Array(3), { engine: nobleEngine });
 * console.assert(sealed.length === 84 + 3 + 16);
 * ```
 */
export interface AeadEngine {
  /** A short name for messages and benchmarks, e.g. `webcrypto`. */
  readonly name: string;
  /** HKDF-SHA256 (RFC 5869); throws RangeError when `length` > 8160 or `info` > 1024 bytes. */
  hkdf(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Promise<Uint8Array>;
  /**
   * Keys AES-256-GCM with a 32-byte key. `hints.inFlight` says how many segments the caller keeps
   * in flight (an engine may use threads only when it is above 1).
   */
  createSegmentCipher(key: Uint8Array, hints?: { inFlight?: number }): Promise<SegmentCipher>;
}

/** Names accepted by the `engine` option. */
export type EngineName = 'webcrypto' | 'noble' | 'node';
