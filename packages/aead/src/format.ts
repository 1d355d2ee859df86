/**
 * Constants of the sealed stream format, version 1. docs/FORMAT.md is the specification; every
 * number here is written there too.
 */

/** `\x89SEAL\r\n\x1a`: high bit, name, CRLF and EOF catch text-mode and 7-bit transfer damage. */
export const MAGIC: Uint8Array = new Uint8Array([0x89, 0x53, 0x45, 0x41, 0x4c, 0x0d, 0x0a, 0x1a]);
/** The only format version this code writes and reads. */
export const VERSION = 1;
/** Random HKDF salt per stream. */
export const SALT_SIZE = 32;
/** Random nonce prefix per stream. */
export const NONCE_PREFIX_SIZE = 7;
/** Key commitment derived with the stream key. */
export const COMMITMENT_SIZE = 32;
/** AES-GCM tag appended to every segment. */
export const TAG_SIZE = 16;
/** AES-256 key and DEK length. */
export const KEY_SIZE = 32;

/** Offsets of the header fields. */
export const OFFSET_VERSION = 8;
export const OFFSET_SEGMENT_SIZE = 9;
export const OFFSET_SALT = 13;
export const OFFSET_NONCE_PREFIX = OFFSET_SALT + SALT_SIZE; // 45
export const OFFSET_COMMITMENT = OFFSET_NONCE_PREFIX + NONCE_PREFIX_SIZE; // 52

/**
 * Size in bytes of the version-1 header: magic 8, version 1, segment size 4, salt 32,
 * nonce prefix 7, commitment 32.
 *
 * @example
 * ```ts
 * import { HEADER_SIZE } from '@sealstream/aead';
 * console.assert(HEADER_SIZE === 84);
 * ```
 */
export const HEADER_SIZE = OFFSET_COMMITMENT + COMMITMENT_SIZE; // 84

/** Smallest plaintext segment size the format allows (tiny segments are for tests). */
export const MIN_SEGMENT_SIZE = 16;
/** Largest plaintext segment size the format allows: 16 MiB, a bound on a reader's memory. */
export const MAX_SEGMENT_SIZE = 16 * 1024 * 1024;
/** The counter is 32 bits: at most 2^32 segments per stream. */
export const MAX_SEGMENTS = 2 ** 32;

/**
 * Plaintext bytes per segment when the caller does not choose: 1 MiB (see
 * docs/decisions/0005-segment-size-and-in-flight.md for the measurements behind it).
 *
 * @example
 * ```ts
 * import { DEFAULT_SEGMENT_SIZE } from '@sealstream/aead';
 * console.assert(DEFAULT_SEGMENT_SIZE === 1024 * 1024);
 * ```
 */
export const DEFAULT_SEGMENT_SIZE = 1024 * 1024;

/**
 * Segments sealed or opened concurrently when the caller does not choose (see docs/FORMAT.md).
 *
 * @example
 * ```ts
 * import { DEFAULT_IN_FLIGHT } from '@sealstream/aead';
 * console.assert(DEFAULT_IN_FLIGHT >= 1);
 * ```
 */
export const DEFAULT_IN_FLIGHT = 4;

/** Upper bound on `inFlight`. */
export const MAX_IN_FLIGHT = 64;

/** HKDF info label, followed by a zero byte, the header before the commitment, and SHA-256 of the associated data. */
export const HKDF_LABEL: Uint8Array = new TextEncoder().encode('sealstream/aead/v1');
