import {
  CHUNK_CODEC,
  CHUNK_HEADER_SIZE,
  type ChunkCodecName,
  MAX_CHUNK_SIZE,
  type ZstdEngine,
} from './chunkCodec.ts';
import { collect } from './collect.ts';

/** Options of {@link compressChunk}. */
export interface CompressChunkOptions {
  /**
   * The codec to try. Default: `'zstd'` when a {@link ZstdEngine} is given, else
   * `'deflate-raw'` (`CompressionStream`, present in every runtime). `'raw'` stores as is.
   */
  codec?: ChunkCodecName;
  /** The zstd implementation; required for `codec: 'zstd'`. */
  zstd?: ZstdEngine;
  /**
   * The least fraction of the input that compression must save, else the chunk is stored raw.
   * Default {@link DEFAULT_MIN_SAVING} (1/16). 0 keeps any compressed form that is not larger.
   */
  minSaving?: number;
}

/** The default `minSaving`: a chunk that compression shrinks by less than 1/16 is stored raw. */
export const DEFAULT_MIN_SAVING = 1 / 16;

/** Inputs at least this large are probed with a sample before being compressed whole. */
const PROBE_FROM = 256 * 1024;
const PROBE_PIECE = 16 * 1024;
/**
 * A sample of at least this many bytes whose bytes are spread this evenly (order-0 entropy, bits
 * per byte) is random or already compressed: the chunk is stored raw without starting a
 * compressor. Random bytes measure about 7.95 at 4 KiB and 7.99 at 48 KiB; text 4 to 5.5;
 * already-compressed formats 7.9 or more.
 */
const ENTROPY_FROM = 4 * 1024;
const RAW_ENTROPY = 7.9;

/**
 * Encodes one chunk in the self-describing layout of docs/COMPRESSION.md: a codec byte, then
 * for a compressed chunk the decoded size (uint32 big-endian) and the compressed body. The chunk
 * is stored raw (`00 ‖ bytes`) whenever compression saves less than `minSaving` of it.
 *
 * Inputs of 256 KiB or more are probed first: three 16 KiB samples (start, middle, end) are
 * compressed together, and when even they save less than `minSaving` the chunk is stored raw
 * without compressing the rest. Before any compressor starts, the bytes' order-0 entropy is
 * measured (the sample's, or a smaller input's whole), and an input of at least 4 KiB above 7.9
 * bits a byte — random or already-compressed data — is stored raw at once: it costs a byte
 * histogram instead of a compressor's set-up and a pass.
 *
 * @param bytes - the chunk, at most 2^32 − 1 bytes; not modified.
 * @returns a new array: `01 ‖ n ‖ deflate-raw`, `02 ‖ n ‖ zstd frame` or `00 ‖ bytes`.
 *
 * @example
 * ```ts
 * import { compressChunk, decompressChunk } from '@sealstream/streams';
 * const text = new TextEncoder().encode('sealstream '.repeat(1000));
 * const chunk = await compressChunk(text);
 * console.assert(chunk[0] === 1 && chunk.length < 200);
 * const back = await decompressChunk(chunk, { maxSize: 1 << 20 });
 * console.assert(back.length === text.length);
 * ```
 */
export async function compressChunk(
  bytes: Uint8Array,
  options: CompressChunkOptions = {},
): Promise<Uint8Array<ArrayBuffer>> {
  const parts = await encodeChunk(bytes, options);
  if (parts.length === 1) return parts[0] as Uint8Array<ArrayBuffer>;
  const out = new Uint8Array(1 + bytes.length);
  out[0] = CHUNK_CODEC.raw;
  out.set(bytes, 1);
  return out;
}

/**
 * {@link compressChunk}'s encoding in pieces, without joining them: a compressed chunk is one
 * array, a raw one `[00, bytes]` where `bytes` is the input itself, not a copy (a pack assembler
 * copies the pieces once, into its own memory).
 *
 * @example
 * ```ts
 * import { encodeChunk } from '@sealstream/streams';
 * const random = crypto.getRandomValues(new Uint8Array(4096));
 * const [header, body] = await encodeChunk(random);
 * console.assert(header?.length === 1 && header[0] === 0 && body === random);
 * ```
 */
export async function encodeChunk(
  bytes: Uint8Array,
  options: CompressChunkOptions = {},
): Promise<Uint8Array[]> {
  if (!(bytes instanceof Uint8Array))
    throw new TypeError('compressChunk: bytes must be a Uint8Array');
  if (bytes.length > MAX_CHUNK_SIZE) {
    throw new RangeError(
      `compressChunk: a chunk must be at most ${MAX_CHUNK_SIZE} bytes: received ${bytes.length}`,
    );
  }
  const { zstd, minSaving = DEFAULT_MIN_SAVING } = options;
  const codec = options.codec ?? (zstd ? 'zstd' : 'deflate-raw');
  if (!Object.hasOwn(CHUNK_CODEC, codec)) {
    throw new RangeError(`compressChunk: unknown codec ${JSON.stringify(codec)}`);
  }
  if (codec === 'zstd' && typeof zstd?.compress !== 'function') {
    throw new TypeError("compressChunk: codec 'zstd' needs a zstd engine (options.zstd)");
  }
  if (typeof minSaving !== 'number' || !(minSaving >= 0 && minSaving < 1)) {
    throw new RangeError(`compressChunk: minSaving must be in [0, 1): received ${minSaving}`);
  }
  if (codec === 'raw' || bytes.length === 0) return storeRaw(bytes);

  const compress =
    codec === 'zstd' ? (b: Uint8Array) => (zstd as ZstdEngine).compress(b) : deflateRaw;
  const budget = (n: number) => Math.floor(n * (1 - minSaving));
  const sample = bytes.length >= PROBE_FROM ? probeSample(bytes) : bytes;
  if (sample.length >= ENTROPY_FROM && entropyOf(sample) > RAW_ENTROPY) return storeRaw(bytes);
  if (sample !== bytes && (await compress(sample)).length > budget(sample.length))
    return storeRaw(bytes);
  const body = await compress(bytes);
  if (!(body instanceof Uint8Array))
    throw new TypeError('compressChunk: the codec returned no bytes');
  if (CHUNK_HEADER_SIZE + body.length > budget(bytes.length) + 1) return storeRaw(bytes);
  const out = new Uint8Array(CHUNK_HEADER_SIZE + body.length);
  out[0] = CHUNK_CODEC[codec];
  new DataView(out.buffer).setUint32(1, bytes.length);
  out.set(body, CHUNK_HEADER_SIZE);
  return [out];
}

function storeRaw(bytes: Uint8Array): Uint8Array[] {
  return [Uint8Array.of(CHUNK_CODEC.raw), bytes];
}

/** Three pieces of `bytes` (start, middle, end) joined. */
function probeSample(bytes: Uint8Array): Uint8Array {
  const sample = new Uint8Array(3 * PROBE_PIECE);
  const middle = Math.floor((bytes.length - PROBE_PIECE) / 2);
  sample.set(bytes.subarray(0, PROBE_PIECE), 0);
  sample.set(bytes.subarray(middle, middle + PROBE_PIECE), PROBE_PIECE);
  sample.set(bytes.subarray(bytes.length - PROBE_PIECE), 2 * PROBE_PIECE);
  return sample;
}

/**
 * The order-0 entropy of `bytes`, in bits per byte (0 to 8). Four interleaved histograms, summed
 * at the end: consecutive equal bytes do not wait on one counter (about 1.8× one histogram).
 */
function entropyOf(bytes: Uint8Array): number {
  const counts = new Uint32Array(1024);
  const n = bytes.length;
  const whole = n & ~3;
  let i = 0;
  for (; i < whole; i += 4) {
    const a = bytes[i] as number;
    const b = 256 + (bytes[i + 1] as number);
    const c = 512 + (bytes[i + 2] as number);
    const d = 768 + (bytes[i + 3] as number);
    counts[a] = (counts[a] as number) + 1;
    counts[b] = (counts[b] as number) + 1;
    counts[c] = (counts[c] as number) + 1;
    counts[d] = (counts[d] as number) + 1;
  }
  for (; i < n; i++) {
    const a = bytes[i] as number;
    counts[a] = (counts[a] as number) + 1;
  }
  let sum = 0;
  for (let b = 0; b < 256; b++) {
    const c =
      (counts[b] as number) +
      (counts[256 + b] as number) +
      (counts[512 + b] as number) +
      (counts[768 + b] as number);
    if (c > 0) sum += c * Math.log2(c);
  }
  return Math.log2(n) - sum / n;
}

/** RFC 1951 deflate of `bytes` through the runtime's `CompressionStream`. */
async function deflateRaw(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new CompressionStream('deflate-raw');
  const writer = stream.writable.getWriter();
  const written = writer.write(bytes as Uint8Array<ArrayBuffer>).then(() => writer.close());
  written.catch(() => {});
  const out = await collect(stream.readable);
  await written;
  return out;
}
