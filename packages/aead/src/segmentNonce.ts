import { NONCE_PREFIX_SIZE } from './format.ts';

/**
 * The 12-byte nonce of segment `index`: nonce prefix (7) ‖ big-endian uint32 index (4) ‖
 * last-segment flag (1: 0x01 on the last segment, 0x00 otherwise).
 */
export function segmentNonce(
  noncePrefix: Uint8Array,
  index: number,
  last: boolean,
): Uint8Array<ArrayBuffer> {
  const nonce = new Uint8Array(12);
  nonce.set(noncePrefix.subarray(0, NONCE_PREFIX_SIZE), 0);
  new DataView(nonce.buffer).setUint32(NONCE_PREFIX_SIZE, index, false);
  nonce[11] = last ? 1 : 0;
  return nonce;
}
