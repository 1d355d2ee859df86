import { chunkCorrupt } from './chunkCodec.ts';

const MAGIC = 0xfd2fb528;
const MAX_BLOCK = 128 * 1024;

/**
 * Checks the structure of the single Zstandard frame (RFC 8878 §3.1.1) that a zstd chunk's
 * body must be, before any decoder sees it: magic, no dictionary, a content size equal to
 * `size`, a window no larger than `max(size, 1 KiB)`, well-formed block headers, and the frame
 * (with its optional 4-byte checksum) ending exactly at the end of `frame`. Blocks whose output
 * size is in their header (raw, RLE) are added up, so a frame of RLE blocks that would expand
 * past `size` is refused without decoding anything.
 *
 * Throws `ERR_CHUNK_CORRUPT` (a `SealstreamError`) on the first failure. Internal to the chunk
 * codec; the content itself is checked by the decoder.
 *
 * @example
 * ```ts
 * import { checkZstdFrame } from './zstdFrame.ts';
 * // the frame zstd writes for empty input
 * checkZstdFrame(new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 0x20, 0, 1, 0, 0]), 0);
 * ```
 */
export function checkZstdFrame(frame: Uint8Array, size: number): void {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  if (frame.length < 6 || view.getUint32(0, true) !== MAGIC) {
    throw chunkCorrupt('the zstd body does not start with a Zstandard frame');
  }
  const fhd = frame[4] as number;
  const fcsFlag = fhd >> 6;
  const singleSegment = (fhd >> 5) & 1;
  const reserved = (fhd >> 3) & 1;
  const checksum = (fhd >> 2) & 1;
  const dictFlag = fhd & 3;
  if (reserved !== 0) throw chunkCorrupt('the zstd frame header has its reserved bit set');
  if (dictFlag !== 0) throw chunkCorrupt('the zstd frame names a dictionary');
  let p = 5;
  let window = 0;
  if (!singleSegment) {
    const wd = frame[p++] as number;
    const base = 2 ** (10 + (wd >> 3));
    window = base + (base / 8) * (wd & 7);
  }
  const fcsBytes = fcsFlag === 0 ? singleSegment : 2 ** fcsFlag;
  if (fcsBytes === 0) throw chunkCorrupt('the zstd frame does not record its content size');
  if (frame.length < p + fcsBytes) throw chunkCorrupt('the zstd frame header is truncated');
  let contentSize = 0;
  for (let i = fcsBytes - 1; i >= 0; i--)
    contentSize = contentSize * 256 + (frame[p + i] as number);
  if (fcsBytes === 2) contentSize += 256;
  p += fcsBytes;
  if (contentSize !== size) {
    throw chunkCorrupt(`the zstd frame holds ${contentSize} bytes, the chunk header says ${size}`);
  }
  if (singleSegment) window = contentSize;
  if (window > Math.max(size, 1024)) {
    throw chunkCorrupt(`the zstd window (${window} bytes) is larger than the chunk (${size})`);
  }
  const blockMax = Math.min(window, MAX_BLOCK);
  let known = 0;
  for (;;) {
    if (frame.length < p + 3) throw chunkCorrupt('the zstd frame is truncated');
    const header =
      (frame[p] as number) | ((frame[p + 1] as number) << 8) | ((frame[p + 2] as number) << 16);
    p += 3;
    const last = header & 1;
    const type = (header >> 1) & 3;
    const blockSize = header >>> 3;
    if (type === 3) throw chunkCorrupt('the zstd frame has a block of the reserved type');
    if (blockSize > blockMax) throw chunkCorrupt('a zstd block is larger than its frame allows');
    if (type !== 2) known += blockSize;
    if (known > size) throw chunkCorrupt(`the zstd frame decodes to more than ${size} bytes`);
    p += type === 1 ? 1 : blockSize;
    if (last) break;
  }
  p += checksum * 4;
  if (p !== frame.length) {
    throw chunkCorrupt(
      p > frame.length ? 'the zstd frame is truncated' : 'bytes follow the zstd frame',
    );
  }
}
