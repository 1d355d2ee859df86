import { SealstreamError } from './SealstreamError.ts';

/**
 * The codec byte that starts every encoded chunk (docs/COMPRESSION.md): `0` raw, `1`
 * deflate-raw (RFC 1951), `2` zstd (RFC 8878). Any other value is `ERR_CHUNK_UNSUPPORTED_CODEC`.
 *
 * @example
 * ```ts
 * import { CHUNK_CODEC, compressChunk } from '@sealstream/streams';
 * const chunk = await compressChunk(new Uint8Array(4096));
 * console.assert(chunk[0] === CHUNK_CODEC['deflate-raw']);
 * ```
 */
export const CHUNK_CODEC = Object.freeze({ raw: 0, 'deflate-raw': 1, zstd: 2 } as const);

/** A codec name of {@link CHUNK_CODEC}. */
export type ChunkCodecName = keyof typeof CHUNK_CODEC;

/** Bytes before a compressed body: the codec byte and the uint32 big-endian decoded size. */
export const CHUNK_HEADER_SIZE = 5;

/** The largest chunk the layout can describe: the decoded size is a uint32. */
export const MAX_CHUNK_SIZE = 0xffff_ffff;

/**
 * A zstd implementation handed in by the caller, since no web runtime ships one: in Node ≥ 22.15
 * `node:zlib` (`zstdCompressSync`), elsewhere a WebAssembly build. Without one, zstd chunks are
 * still read (with the pure-JS decoder fzstd), only not written.
 *
 * @example
 * ```ts
 * import { compressChunk, decompressChunk, type ZstdEngine } from '@sealstream/streams';
 * // In Node ≥ 22.15: { compress: (b) => zlib.zstdCompressSync(b), decompress: (f, size) =>
 * //   zlib.zstdDecompressSync(f, { maxOutputLength: size }) }
 * async function roundTrip(bytes: Uint8Array, zstd: ZstdEngine): Promise<Uint8Array> {
 *   const chunk = await compressChunk(bytes, { zstd }); // codec byte 2 unless stored raw
 *   return decompressChunk(chunk, { maxSize: 8 << 20, zstd });
 * }
 * ```
 */
export interface ZstdEngine {
  /**
   * One zstd frame holding `bytes`, with its content size in the frame header and no
   * dictionary (what `ZSTD_compress` and `zlib.zstdCompressSync` write).
   */
  compress(bytes: Uint8Array): Uint8Array | Promise<Uint8Array>;
  /**
   * Optional faster decoder: the content of one frame whose header was already checked. It must
   * fail rather than produce more than `size` bytes (e.g. `maxOutputLength: size`).
   */
  decompress?(frame: Uint8Array, size: number): Uint8Array | Promise<Uint8Array>;
}

/** `ERR_CHUNK_CORRUPT` with a message and the underlying failure, if any. */
export function chunkCorrupt(message: string, cause?: unknown): SealstreamError {
  return new SealstreamError('ERR_CHUNK_CORRUPT', `Corrupt chunk: ${message}`, { cause });
}
