/** @module @sealstream/aead — the segmented AES-256-GCM stream format (docs/FORMAT.md). */

export type { AeadEngine, EngineName, SealBatch, SegmentCipher } from './AeadEngine.ts';
export { AeadError, type AeadErrorCode } from './AeadError.ts';
export { decrypt } from './decrypt.ts';
export { type DecryptRangeOptions, decryptRange } from './decryptRange.ts';
export { type DecryptOptions, decryptStream } from './decryptStream.ts';
export { encrypt } from './encrypt.ts';
export { type EncryptOptions, encryptStream } from './encryptStream.ts';
export { nobleEngine } from './engines/nobleEngine.ts';
export { webcryptoEngine } from './engines/webcryptoEngine.ts';
export {
  DEFAULT_IN_FLIGHT,
  DEFAULT_SEGMENT_SIZE,
  HEADER_SIZE,
  MAX_SEGMENT_SIZE,
  MIN_SEGMENT_SIZE,
  TAG_SIZE,
} from './format.ts';
export { defaultEngine } from './resolveEngine.ts';
export { ciphertextSize, plaintextSize } from './sizes.ts';
