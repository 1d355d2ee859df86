import { AeadError } from './AeadError.ts';
import {
  COMMITMENT_SIZE,
  HEADER_SIZE,
  MAGIC,
  MAX_SEGMENT_SIZE,
  MIN_SEGMENT_SIZE,
  NONCE_PREFIX_SIZE,
  OFFSET_COMMITMENT,
  OFFSET_NONCE_PREFIX,
  OFFSET_SALT,
  OFFSET_SEGMENT_SIZE,
  OFFSET_VERSION,
  SALT_SIZE,
  VERSION,
} from './format.ts';

/** The fields of a version-1 header. */
export interface Header {
  segmentSize: number;
  salt: Uint8Array;
  noncePrefix: Uint8Array;
  commitment: Uint8Array;
  /** The whole header as read or written (HEADER_SIZE bytes). */
  bytes: Uint8Array;
}

/** Writes a header with an all-zero commitment; the caller fills bytes [52, 84) later. */
export function buildHeader(
  segmentSize: number,
  salt: Uint8Array,
  noncePrefix: Uint8Array,
): Uint8Array {
  const bytes = new Uint8Array(HEADER_SIZE);
  bytes.set(MAGIC, 0);
  bytes[OFFSET_VERSION] = VERSION;
  new DataView(bytes.buffer).setUint32(OFFSET_SEGMENT_SIZE, segmentSize, false);
  bytes.set(salt, OFFSET_SALT);
  bytes.set(noncePrefix, OFFSET_NONCE_PREFIX);
  return bytes;
}

/** True while `bytes` (possibly fewer than 8) agree with the magic. */
export function matchesMagic(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, MAGIC.length);
  for (let i = 0; i < n; i++) if (bytes[i] !== MAGIC[i]) return false;
  return true;
}

/**
 * Parses a complete header. Throws {@link AeadError}: BAD_HEADER for a wrong magic or an
 * out-of-range segment size, UNSUPPORTED_VERSION for another version.
 */
export function parseHeader(bytes: Uint8Array, maxSegmentSize: number = MAX_SEGMENT_SIZE): Header {
  if (bytes.length < HEADER_SIZE || !matchesMagic(bytes)) {
    throw new AeadError(
      'ERR_AEAD_BAD_HEADER',
      'not a sealstream ciphertext: the magic bytes do not match',
    );
  }
  const version = bytes[OFFSET_VERSION] as number;
  if (version !== VERSION) {
    throw new AeadError(
      'ERR_AEAD_UNSUPPORTED_VERSION',
      `sealstream format version ${version} is not supported (this code reads version ${VERSION})`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const segmentSize = view.getUint32(OFFSET_SEGMENT_SIZE, false);
  if (segmentSize < MIN_SEGMENT_SIZE || segmentSize > MAX_SEGMENT_SIZE) {
    throw new AeadError(
      'ERR_AEAD_BAD_HEADER',
      `malformed header: segment size ${segmentSize} is outside [${MIN_SEGMENT_SIZE}, ${MAX_SEGMENT_SIZE}]`,
    );
  }
  if (segmentSize > maxSegmentSize) {
    throw new AeadError(
      'ERR_AEAD_BAD_HEADER',
      `header: segment size ${segmentSize} exceeds maxSegmentSize ${maxSegmentSize}`,
    );
  }
  const copy = bytes.slice(0, HEADER_SIZE);
  return {
    segmentSize,
    salt: copy.subarray(OFFSET_SALT, OFFSET_SALT + SALT_SIZE),
    noncePrefix: copy.subarray(OFFSET_NONCE_PREFIX, OFFSET_NONCE_PREFIX + NONCE_PREFIX_SIZE),
    commitment: copy.subarray(OFFSET_COMMITMENT, OFFSET_COMMITMENT + COMMITMENT_SIZE),
    bytes: copy,
  };
}
