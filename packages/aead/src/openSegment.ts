import type { SegmentCipher } from './AeadEngine.ts';
import { AeadError } from './AeadError.ts';
import { segmentNonce } from './segmentNonce.ts';

type Opened = Uint8Array[] | null;

/**
 * Opens segment `index` as the last segment (`last`) or not. On failure it tries the other
 * flag, which only the holder of the key can satisfy, to say precisely what went wrong:
 * a non-last segment that opens as last means bytes follow the end (TRAILING_DATA); a last
 * segment that opens as non-last means the stream was cut at a segment boundary (TRUNCATED).
 * Synchronous when the engine is.
 */
export function openSegment(
  cipher: SegmentCipher,
  noncePrefix: Uint8Array,
  index: number,
  last: boolean,
  ciphertext: readonly Uint8Array[],
): Uint8Array[] | Promise<Uint8Array[]> {
  const first = cipher.open(segmentNonce(noncePrefix, index, last), ciphertext);
  if (first instanceof Promise) {
    return first.then(
      async (p) =>
        p ??
        explain(
          await cipher.open(segmentNonce(noncePrefix, index, !last), ciphertext),
          index,
          last,
        ),
    );
  }
  if (first !== null) return first;
  const other = cipher.open(segmentNonce(noncePrefix, index, !last), ciphertext);
  return other instanceof Promise
    ? other.then((o) => explain(o, index, last))
    : explain(other, index, last);
}

function explain(other: Opened, index: number, last: boolean): never {
  if (other !== null) {
    for (const p of other) p.fill(0);
    throw last
      ? new AeadError(
          'ERR_AEAD_TRUNCATED',
          `the stream ends after segment ${index}, before its last segment`,
        )
      : new AeadError('ERR_AEAD_TRAILING_DATA', `bytes follow the last segment (segment ${index})`);
  }
  throw new AeadError(
    'ERR_AEAD_TAMPERED',
    `segment ${index} failed authentication: the data was modified`,
  );
}
