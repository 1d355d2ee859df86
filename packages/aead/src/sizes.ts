import {
  DEFAULT_SEGMENT_SIZE,
  HEADER_SIZE,
  MAX_SEGMENT_SIZE,
  MAX_SEGMENTS,
  MIN_SEGMENT_SIZE,
  TAG_SIZE,
} from './format.ts';

/** Throws RangeError unless `segmentSize` is an allowed segment size. */
export function checkSegmentSize(segmentSize: number, name: string): void {
  if (
    !Number.isSafeInteger(segmentSize) ||
    segmentSize < MIN_SEGMENT_SIZE ||
    segmentSize > MAX_SEGMENT_SIZE
  ) {
    throw new RangeError(
      `${name}: segmentSize must be an integer in [${MIN_SEGMENT_SIZE}, ${MAX_SEGMENT_SIZE}], received ${segmentSize}`,
    );
  }
}

/** Number of segments of a plaintext of `plaintextSize` bytes (at least one). */
export function segmentCount(plaintextSize: number, segmentSize: number): number {
  return plaintextSize === 0 ? 1 : Math.ceil(plaintextSize / segmentSize);
}

/**
 * Size of the sealed stream for a plaintext of `plaintextSize` bytes:
 * `HEADER_SIZE + plaintextSize + 16 × max(1, ceil(plaintextSize / segmentSize))`.
 *
 * @throws RangeError for a negative or non-integer size, or more than 2^32 segments.
 *
 * @example
 * ```ts
 * import { ciphertextSize } from '@sealstream/aead';
 * console.assert(ciphertextSize(0, 1024) === 84 + 16);
 * console.assert(ciphertextSize(2048, 1024) === 84 + 2048 + 32);
 * ```
 */
export function ciphertextSize(
  plaintextSize: number,
  segmentSize: number = DEFAULT_SEGMENT_SIZE,
): number {
  checkSegmentSize(segmentSize, 'ciphertextSize');
  if (!Number.isSafeInteger(plaintextSize) || plaintextSize < 0) {
    throw new RangeError(
      `ciphertextSize: plaintextSize must be a non-negative integer, received ${plaintextSize}`,
    );
  }
  const n = segmentCount(plaintextSize, segmentSize);
  if (n > MAX_SEGMENTS) {
    throw new RangeError(
      `ciphertextSize: ${plaintextSize} bytes need more than 2^32 segments of ${segmentSize}`,
    );
  }
  return HEADER_SIZE + plaintextSize + n * TAG_SIZE;
}

/**
 * Plaintext size of a sealed stream of `ciphertextSize` bytes: the inverse of {@link ciphertextSize}.
 *
 * @throws RangeError when no plaintext seals to exactly `ciphertextSize` bytes.
 *
 * @example
 * ```ts
 * import { ciphertextSize, plaintextSize } from '@sealstream/aead';
 * console.assert(plaintextSize(ciphertextSize(5000, 1024), 1024) === 5000);
 * ```
 */
export function plaintextSize(
  ciphertextSize: number,
  segmentSize: number = DEFAULT_SEGMENT_SIZE,
): number {
  checkSegmentSize(segmentSize, 'plaintextSize');
  if (!Number.isSafeInteger(ciphertextSize) || ciphertextSize < 0) {
    throw new RangeError(
      `plaintextSize: ciphertextSize must be a non-negative integer, received ${ciphertextSize}`,
    );
  }
  const body = ciphertextSize - HEADER_SIZE;
  const full = segmentSize + TAG_SIZE;
  const n = Math.max(1, Math.ceil(body / full));
  const last = body - (n - 1) * full;
  if (body < TAG_SIZE || last < TAG_SIZE || (n > 1 && last === TAG_SIZE) || n > MAX_SEGMENTS) {
    throw new RangeError(
      `plaintextSize: ${ciphertextSize} is not the size of a sealed stream with segment size ${segmentSize}`,
    );
  }
  return body - n * TAG_SIZE;
}
