/** @module @sealstream/streams — byte-stream building blocks. */

export { bareQueryNames } from './bareQueryNames.ts';
export { decodeBase64, decodeBase64Url, encodeBase64, encodeBase64Url } from './base64.ts';
export { type ByteMeterOptions, type ByteMeterStream, byteMeter } from './byteMeter.ts';
export { cdcChunker } from './cdcChunker.ts';
export {
  CHUNK_CODEC,
  CHUNK_HEADER_SIZE,
  type ChunkCodecName,
  MAX_CHUNK_SIZE,
  type ZstdEngine,
} from './chunkCodec.ts';
export { chunker } from './chunker.ts';
export { collect } from './collect.ts';
export {
  type CompressChunkOptions,
  compressChunk,
  DEFAULT_MIN_SAVING,
  encodeChunk,
} from './compressChunk.ts';
export { concatBytes } from './concatBytes.ts';
export { type DecompressChunkOptions, decompressChunk } from './decompressChunk.ts';
export { type DigestTapStream, digestTap, type Hasher, sha256Hasher } from './digestTap.ts';
export { equalBytes } from './equalBytes.ts';
export { fromBytes } from './fromBytes.ts';
export { GEAR_CHUNKER_DEFAULTS, GearChunker, type GearChunkerOptions } from './GearChunker.ts';
export { decodeHex, encodeHex } from './hex.ts';
export { REDACTED, redactUriText, type UriRedaction } from './redactUriText.ts';
export { isSealstreamError, SealstreamError } from './SealstreamError.ts';
