import { Decompress } from 'fzstd';
import {
  CHUNK_CODEC,
  CHUNK_HEADER_SIZE,
  chunkCorrupt,
  MAX_CHUNK_SIZE,
  type ZstdEngine,
} from './chunkCodec.ts';
import { SealstreamError } from './SealstreamError.ts';
import { checkZstdFrame } from './zstdFrame.ts';

/** Options of {@link decompressChunk}. */
export interface DecompressChunkOptions {
  /** The largest decoded chunk accepted, in bytes (e.g. the chunker's maximum, 8 MiB). */
  maxSize: number;
  /** A faster zstd decoder (e.g. node:zlib); without one, zstd chunks are read with fzstd. */
  zstd?: ZstdEngine;
}

/**
 * Decodes one chunk written by {@link compressChunk} (layout in docs/COMPRESSION.md), never
 * producing more than `maxSize` bytes: a chunk whose header declares more is refused before any
 * decoding, and output is streamed into an array of exactly the declared size, so a body that
 * decodes to more stops at the first piece past it.
 *
 * The codec authenticates nothing (the seal around the chunk does): a damaged body may decode to
 * other bytes of the declared length. What it detects is a `SealstreamError`:
 * - `ERR_CHUNK_TOO_LARGE`: the chunk declares (or, raw, holds) more than `maxSize` bytes;
 * - `ERR_CHUNK_UNSUPPORTED_CODEC`: the first byte names no known codec;
 * - `ERR_CHUNK_CORRUPT`: empty, truncated header, a body that fails to decode, decodes to a
 *   size other than the declared one, or has bytes after its end.
 *
 * @param bytes - one encoded chunk; not modified.
 * @returns the decoded bytes (for a raw chunk, a view into `bytes`).
 *
 * @example
 * ```ts
 * import { compressChunk, decompressChunk, isSealstreamError } from '@sealstream/streams';
 * const chunk = await compressChunk(new Uint8Array(100_000));
 * const bytes = await decompressChunk(chunk, { maxSize: 1 << 20 });
 * console.assert(bytes.length === 100_000);
 * try {
 *   await decompressChunk(chunk, { maxSize: 50_000 });
 * } catch (e) {
 *   console.assert(isSealstreamError(e, 'ERR_CHUNK_TOO_LARGE'));
 * }
 * ```
 */
export async function decompressChunk(
  bytes: Uint8Array,
  options: DecompressChunkOptions,
): Promise<Uint8Array> {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError('decompressChunk: bytes must be a Uint8Array');
  }
  const maxSize = options?.maxSize;
  if (!Number.isSafeInteger(maxSize) || maxSize < 0 || maxSize > MAX_CHUNK_SIZE) {
    throw new RangeError(
      `decompressChunk: maxSize must be an integer in [0, ${MAX_CHUNK_SIZE}]: received ${maxSize}`,
    );
  }
  if (bytes.length === 0) throw chunkCorrupt('empty input, not even a codec byte');
  const codec = bytes[0] as number;
  if (codec === CHUNK_CODEC.raw) {
    if (bytes.length - 1 > maxSize) throw tooLarge(bytes.length - 1, maxSize);
    return bytes.subarray(1);
  }
  if (codec !== CHUNK_CODEC['deflate-raw'] && codec !== CHUNK_CODEC.zstd) {
    throw new SealstreamError(
      'ERR_CHUNK_UNSUPPORTED_CODEC',
      `Unsupported chunk codec ${codec} (this reader knows 0 raw, 1 deflate-raw, 2 zstd)`,
    );
  }
  if (bytes.length < CHUNK_HEADER_SIZE) throw chunkCorrupt('the header is truncated');
  const size = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(1);
  if (size > maxSize) throw tooLarge(size, maxSize);
  const body = bytes.subarray(CHUNK_HEADER_SIZE);
  if (codec === CHUNK_CODEC['deflate-raw']) return inflateRaw(body, size);
  checkZstdFrame(body, size);
  if (options.zstd?.decompress) return zstdEngine(options.zstd, body, size);
  return zstdPortable(body, size);
}

/** Bytes of deflate input written at a time (see inflateRaw). */
const INFLATE_PIECE = 2048;

function tooLarge(size: number, maxSize: number): SealstreamError {
  return new SealstreamError(
    'ERR_CHUNK_TOO_LARGE',
    `Chunk of ${size} bytes exceeds the reader's maxSize (${maxSize})`,
  );
}

/** Appends decoded pieces to an array of exactly `size` bytes, refusing any byte past it. */
function sizedSink(size: number) {
  const out = new Uint8Array(size);
  let length = 0;
  return {
    out,
    get length() {
      return length;
    },
    push(piece: Uint8Array): void {
      if (piece.length > size - length) {
        throw chunkCorrupt(`the body decodes to more than the declared ${size} bytes`);
      }
      out.set(piece, length);
      length += piece.length;
    },
    finish(): Uint8Array {
      if (length !== size) {
        throw chunkCorrupt(`the body decodes to ${length} bytes, the header says ${size}`);
      }
      return out;
    },
  };
}

async function inflateRaw(body: Uint8Array, size: number): Promise<Uint8Array> {
  const sink = sizedSink(size);
  const stream = new DecompressionStream('deflate-raw');
  const writer = stream.writable.getWriter();
  // Small writes, each after the readable side drained: some runtimes (Deno) inflate a whole
  // write at once, and deflate expands up to 1032×, so a write bounds the overshoot (≤ 2 MiB).
  const written = (async () => {
    for (let o = 0; o < body.length; o += INFLATE_PIECE) {
      await writer.ready;
      writer.write(body.subarray(o, o + INFLATE_PIECE) as Uint8Array<ArrayBuffer>).catch(() => {});
    }
    await writer.close();
  })();
  written.catch(() => {});
  const reader = stream.readable.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      sink.push(value);
    }
    await written;
  } catch (e) {
    await reader.cancel().catch(() => {});
    if (e instanceof SealstreamError) throw e;
    throw chunkCorrupt('the deflate-raw body does not decode', e);
  } finally {
    reader.releaseLock();
  }
  return sink.finish();
}

function zstdPortable(frame: Uint8Array, size: number): Uint8Array {
  const sink = sizedSink(size);
  try {
    new Decompress((piece) => sink.push(piece)).push(frame, true);
  } catch (e) {
    if (e instanceof SealstreamError) throw e;
    throw chunkCorrupt('the zstd body does not decode', e);
  }
  return sink.finish();
}

async function zstdEngine(
  engine: ZstdEngine,
  frame: Uint8Array,
  size: number,
): Promise<Uint8Array> {
  let out: Uint8Array;
  try {
    out = await (engine.decompress as NonNullable<ZstdEngine['decompress']>)(frame, size);
  } catch (e) {
    throw chunkCorrupt('the zstd body does not decode', e);
  }
  if (!(out instanceof Uint8Array) || out.length !== size) {
    throw chunkCorrupt(`the zstd body does not decode to the declared ${size} bytes`);
  }
  return out;
}
