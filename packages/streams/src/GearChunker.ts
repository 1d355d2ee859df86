import { GEAR_KEY_LENGTH, gearTable } from './gearTable.ts';

/**
 * Chunk sizes of the content-defined chunker, in bytes. A chunk is never longer than `max`;
 * every chunk but the last of a stream is at least `min + 1` bytes long.
 *
 * @example
 * ```ts
 * import { GearChunker, type GearChunkerOptions } from '@sealstream/streams';
 * const options: GearChunkerOptions = { avg: 64 * 1024 }; // min 32 KiB, max 512 KiB
 * const chunker = new GearChunker(new Uint8Array(32), options);
 * console.assert(chunker.min === 32 * 1024 && chunker.max === 512 * 1024);
 * ```
 */
export interface GearChunkerOptions {
  /** Bytes at the start of a chunk that are never hashed (no cut falls there). Default avg / 2. */
  readonly min?: number;
  /** The target size: a power of two; it sets the two masks. Default 1 MiB. */
  readonly avg?: number;
  /** A cut is forced when a chunk reaches this length. Default 8 × avg. */
  readonly max?: number;
  /** FastCDC's normalization level: 0 (one mask) to 3. Default 2. */
  readonly normalization?: number;
}

/**
 * The defaults of {@link GearChunkerOptions}: restic-like sizes (min 512 KiB, avg 1 MiB, max
 * 8 MiB) and FastCDC's normalization level 2. When only `avg` is given, min is avg / 2 and max is
 * 8 × avg.
 *
 * @example
 * ```ts
 * import { GEAR_CHUNKER_DEFAULTS } from '@sealstream/streams';
 * const { min, avg, max } = GEAR_CHUNKER_DEFAULTS;
 * console.assert(min === 512 * 1024 && avg === 1024 * 1024 && max === 8 * 1024 * 1024);
 * ```
 */
export const GEAR_CHUNKER_DEFAULTS: Readonly<Required<GearChunkerOptions>> = Object.freeze({
  min: 512 * 1024,
  avg: 1024 * 1024,
  max: 8 * 1024 * 1024,
  normalization: 2,
});

const AVG_LOW = 64;
const AVG_HIGH = 2 ** 28;
const MAX_HIGH = 2 ** 30;

/** The mask with `bits` one-bits at bits 30, 29, … (bit 31 is never tested). */
function maskOf(bits: number): number {
  return ((2 ** bits - 1) * 2 ** (31 - bits)) | 0;
}

/**
 * The synchronous core of the keyed content-defined chunker: a FastCDC-style gear hash over a
 * keyed table ({@link gearTable}), with normalized chunking (a stricter mask before `avg`, a
 * looser one after) and no hashing of the first `min` bytes of a chunk. The exact rule is
 * specified in docs/CHUNKING.md; cut points depend only on the key, the options and the bytes
 * since the previous cut, never on how the input was split into pieces.
 *
 * {@link GearChunker.scan} is incremental: feed it the input piece by piece and it reports where
 * each chunk ends. {@link GearChunker.cuts} chunks one whole buffer.
 *
 * @example
 * ```ts
 * import { GearChunker } from '@sealstream/streams';
 * const key = new Uint8Array(32); // in real use: a secret derived from the backup's root key
 * const chunker = new GearChunker(key, { min: 1024, avg: 4096, max: 16384 });
 * const data = crypto.getRandomValues(new Uint8Array(65536));
 * const ends = chunker.cuts(data); // end offset of every chunk; the last is data.length
 * console.assert(ends.at(-1) === data.length);
 * console.assert(ends.every((end, k) => end - (ends[k - 1] ?? 0) <= 16384));
 * ```
 */
export class GearChunker {
  readonly min: number;
  readonly avg: number;
  readonly max: number;
  readonly normalization: number;
  /** The mask tested while a chunk is shorter than `avg` (log2(avg) + normalization bits). */
  readonly maskS: number;
  /** The mask tested from `avg` on (log2(avg) − normalization bits). */
  readonly maskL: number;
  readonly #table: Int32Array;
  #pos = 0;
  #hash = 0;

  /**
   * @param key - the 32-byte chunker key; the gear table is derived from it.
   * @param options - chunk sizes; see {@link GearChunkerOptions} for the defaults.
   * @throws RangeError when the key is not 32 bytes, or a size is out of range or inconsistent
   *   with the others.
   */
  constructor(key: Uint8Array, options: GearChunkerOptions = {}) {
    const avg = options.avg ?? GEAR_CHUNKER_DEFAULTS.avg;
    const o = {
      avg,
      min: options.min ?? avg / 2,
      max: options.max ?? avg * 8,
      normalization: options.normalization ?? GEAR_CHUNKER_DEFAULTS.normalization,
    };
    const fail = (what: string, received: unknown): never => {
      throw new RangeError(`Cannot construct GearChunker as ${what}: received ${received}`);
    };
    if (
      !Number.isInteger(o.avg) ||
      o.avg < AVG_LOW ||
      o.avg > AVG_HIGH ||
      (o.avg & (o.avg - 1)) !== 0
    )
      fail(`avg must be a power of two from ${AVG_LOW} to ${AVG_HIGH}`, o.avg);
    if (!Number.isInteger(o.min) || o.min < 1 || o.min >= o.avg)
      fail(`min must be an integer >= 1 and < avg (${o.avg})`, o.min);
    if (!Number.isInteger(o.max) || o.max <= o.avg || o.max > MAX_HIGH)
      fail(`max must be an integer > avg (${o.avg}) and <= ${MAX_HIGH}`, o.max);
    if (!Number.isInteger(o.normalization) || o.normalization < 0 || o.normalization > 3)
      fail('normalization must be 0, 1, 2 or 3', o.normalization);
    if (!(key instanceof Uint8Array) || key.length !== GEAR_KEY_LENGTH)
      fail(
        `key must be ${GEAR_KEY_LENGTH} bytes`,
        key instanceof Uint8Array ? `${key.length} bytes` : typeof key,
      );
    this.#table = gearTable(key);
    this.min = o.min;
    this.avg = o.avg;
    this.max = o.max;
    this.normalization = o.normalization;
    const bits = Math.log2(o.avg);
    this.maskS = maskOf(bits + o.normalization);
    this.maskL = maskOf(bits - o.normalization);
  }

  /** Bytes of the current, unfinished chunk seen so far (0 right after a cut). */
  get pending(): number {
    return this.#pos;
  }

  /** Forgets the unfinished chunk: the next byte scanned starts a new one. */
  reset(): void {
    this.#pos = 0;
    this.#hash = 0;
  }

  /**
   * Feeds `data[start .. end)` to the current chunk. Returns the index in `data` just past the
   * end of the chunk if it ends within that range (the chunker then starts a new chunk, and the
   * caller scans on from that index), or −1 when every byte was taken and the chunk goes on.
   * At the end of the input, the bytes since the last cut (see {@link GearChunker.pending}) form
   * the final chunk.
   *
   * @example
   * ```ts
   * import { GearChunker } from '@sealstream/streams';
   * const chunker = new GearChunker(new Uint8Array(32), { min: 64, avg: 256, max: 1024 });
   * const piece = new Uint8Array(4096).map((_, i) => (i * 7919) >>> 3);
   * let start = 0;
   * const lengths: number[] = [];
   * for (let cut = chunker.scan(piece); cut >= 0; cut = chunker.scan(piece, start)) {
   *   lengths.push(cut - start);
   *   start = cut;
   * }
   * console.assert(lengths.every((n) => n > 64 && n <= 1024));
   * console.assert(chunker.pending === piece.length - start);
   * ```
   */
  scan(data: Uint8Array, start = 0, end: number = data.length): number {
    if (!(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end)) {
      throw new RangeError(
        `GearChunker.scan needs 0 <= start <= end: received start ${start}, end ${end}`,
      );
    }
    if (end > data.length) {
      throw new RangeError(
        `GearChunker.scan needs end <= data.length (${data.length}): received ${end}`,
      );
    }
    const table = this.#table;
    const { min, avg, max, maskS, maskL } = this;
    let pos = this.#pos;
    let h = this.#hash;
    let i = start;
    while (i < end) {
      if (pos < min) {
        const skip = Math.min(min - pos, end - i);
        pos += skip;
        i += skip;
        continue;
      }
      const mask = pos < avg ? maskS : maskL;
      const stop = i + Math.min((pos < avg ? avg : max) - pos, end - i);
      const from = i;
      let cut = -1;
      // Unrolled eight times: about 1.6x the speed of the plain loop in V8 (Node 20).
      for (const stop8 = stop - 7; i < stop8; i += 8) {
        h = ((h << 1) + (table[data[i + 0] as number] as number)) | 0;
        if ((h & mask) === 0) {
          cut = i + 1;
          break;
        }
        h = ((h << 1) + (table[data[i + 1] as number] as number)) | 0;
        if ((h & mask) === 0) {
          cut = i + 2;
          break;
        }
        h = ((h << 1) + (table[data[i + 2] as number] as number)) | 0;
        if ((h & mask) === 0) {
          cut = i + 3;
          break;
        }
        h = ((h << 1) + (table[data[i + 3] as number] as number)) | 0;
        if ((h & mask) === 0) {
          cut = i + 4;
          break;
        }
        h = ((h << 1) + (table[data[i + 4] as number] as number)) | 0;
        if ((h & mask) === 0) {
          cut = i + 5;
          break;
        }
        h = ((h << 1) + (table[data[i + 5] as number] as number)) | 0;
        if ((h & mask) === 0) {
          cut = i + 6;
          break;
        }
        h = ((h << 1) + (table[data[i + 6] as number] as number)) | 0;
        if ((h & mask) === 0) {
          cut = i + 7;
          break;
        }
        h = ((h << 1) + (table[data[i + 7] as number] as number)) | 0;
        if ((h & mask) === 0) {
          cut = i + 8;
          break;
        }
      }
      if (cut < 0) {
        for (; i < stop; i++) {
          h = ((h << 1) + (table[data[i] as number] as number)) | 0;
          if ((h & mask) === 0) {
            cut = i + 1;
            break;
          }
        }
      }
      if (cut >= 0) {
        this.reset();
        return cut;
      }
      pos += i - from;
      if (pos === max) {
        this.reset();
        return i;
      }
    }
    this.#pos = pos;
    this.#hash = h;
    return -1;
  }

  /**
   * Chunks one whole buffer from a fresh start and returns the end offset of every chunk, in
   * order; the last is `data.length` (none for an empty buffer). Leaves the chunker reset.
   *
   * @example
   * ```ts
   * import { GearChunker } from '@sealstream/streams';
   * const chunker = new GearChunker(new Uint8Array(32), { min: 64, avg: 256, max: 1024 });
   * console.assert(chunker.cuts(new Uint8Array(5000)).join() === '1024,2048,3072,4096,5000');
   * ```
   */
  cuts(data: Uint8Array): number[] {
    this.reset();
    const ends: number[] = [];
    let start = 0;
    for (;;) {
      const cut = this.scan(data, start);
      if (cut < 0) break;
      ends.push(cut);
      start = cut;
    }
    if (start < data.length) ends.push(data.length);
    this.reset();
    return ends;
  }
}
