import { concatBytes } from '@sealstream/streams';
import type { AeadEngine, EngineName, SegmentCipher } from './AeadEngine.ts';
import { AeadError } from './AeadError.ts';
import { checkAssociatedData, checkInFlight, checkKey } from './checkOptions.ts';
import { checkMaxSegmentSize, openHeader } from './decryptStream.ts';
import { DEFAULT_IN_FLIGHT, HEADER_SIZE, MAX_SEGMENT_SIZE, TAG_SIZE } from './format.ts';
import { parseHeader } from './header.ts';
import { openSegment } from './openSegment.ts';
import { resolveEngine } from './resolveEngine.ts';
import { plaintextSize, segmentCount } from './sizes.ts';

/** Options of {@link decryptRange}. */
export interface DecryptRangeOptions {
  /** Must equal the associated data given at encryption. Default: empty. */
  associatedData?: Uint8Array;
  /** Total size of the sealed object in bytes (e.g. from a storage `stat`). */
  ciphertextSize: number;
  /** First plaintext byte wanted (inclusive). */
  start: number;
  /** End of the plaintext range (exclusive); clamped to the plaintext size. */
  end: number;
  /** Reads `length` bytes of the sealed object at `offset` (e.g. a ranged GET). */
  read: (offset: number, length: number) => Promise<Uint8Array>;
  /** Segments read and opened concurrently, in [1, 64]. Default {@link DEFAULT_IN_FLIGHT}. */
  inFlight?: number;
  /** Default: node:crypto in Node, WebCrypto elsewhere, noble without WebCrypto. */
  engine?: AeadEngine | EngineName;
  /** As for {@link decryptStream}. Default 16 MiB. */
  maxSegmentSize?: number;
}

/**
 * Plaintext bytes `[start, end)` of a sealed object, reading only the header and the segments
 * that cover the range (one `read` per segment, up to `inFlight` at a time). Every segment is
 * authenticated before any of its bytes is enqueued.
 *
 * @throws TypeError / RangeError for bad arguments; the stream errors with {@link AeadError} as
 *   {@link decryptStream} does, and with TRUNCATED if `read` returns fewer bytes than asked.
 *
 * @example
 * ```ts
 * import { collect } from '@sealstream/streams';
 * import { decryptRange, encrypt } from '@sealstream/aead';
 * const key = crypto.getRandomValues(new Uint8Array(32));
 * const sealed = await encrypt(key, new TextEncoder().encode('0123456789'), { segmentSize: 16 });
 * const part = await collect(decryptRange(key, {
 *   ciphertextSize: sealed.length, start: 2, end: 5,
 *   read: async (offset, length) => sealed.subarray(offset, offset + length),
 * }));
 * console.assert(new TextDecoder().decode(part) === '234');
 * ```
 */
export function decryptRange(
  key: Uint8Array,
  options: DecryptRangeOptions,
): ReadableStream<Uint8Array> {
  const caller = 'decryptRange';
  const dek = checkKey(key, caller);
  if (options === null || typeof options !== 'object')
    throw new TypeError(`${caller}: options are required`);
  const ad = checkAssociatedData(options.associatedData, caller);
  const inFlight = checkInFlight(options.inFlight ?? DEFAULT_IN_FLIGHT, caller);
  const engine = resolveEngine(options.engine, caller);
  const maxSegmentSize = checkMaxSegmentSize(options.maxSegmentSize ?? MAX_SEGMENT_SIZE, caller);
  const { ciphertextSize, start, read } = options;
  let { end } = options;
  if (!Number.isSafeInteger(ciphertextSize) || ciphertextSize < 0) {
    throw new RangeError(
      `${caller}: ciphertextSize must be a non-negative integer, received ${ciphertextSize}`,
    );
  }
  if (!Number.isSafeInteger(start) || start < 0) {
    throw new RangeError(`${caller}: start must be a non-negative integer, received ${start}`);
  }
  if (!Number.isSafeInteger(end) || end < start) {
    throw new RangeError(`${caller}: end must be an integer >= start (${start}), received ${end}`);
  }
  if (typeof read !== 'function') throw new TypeError(`${caller}: read must be a function`);

  const readExactly = async (offset: number, length: number): Promise<Uint8Array> => {
    const bytes = await read(offset, length);
    if (!(bytes instanceof Uint8Array))
      throw new TypeError(`${caller}: read must resolve to a Uint8Array`);
    if (bytes.length !== length) {
      throw new AeadError(
        'ERR_AEAD_TRUNCATED',
        `read(${offset}, ${length}) returned ${bytes.length} bytes: the object is shorter than ciphertextSize`,
      );
    }
    return bytes;
  };

  let cipher: SegmentCipher;
  let noncePrefix: Uint8Array;
  let segmentSize = 0;
  let segments = 0;
  let next = 0;
  let lastWanted = -1;
  const jobs: Promise<Uint8Array>[] = [];

  const job = async (i: number): Promise<Uint8Array> => {
    const offset = HEADER_SIZE + i * (segmentSize + TAG_SIZE);
    const isLast = i === segments - 1;
    const length = isLast ? ciphertextSize - offset : segmentSize + TAG_SIZE;
    const ciphertext = await readExactly(offset, length);
    const pieces = await openSegment(cipher, noncePrefix, i, isLast, [ciphertext]);
    const plain = pieces.length === 1 ? (pieces[0] as Uint8Array) : concatBytes(...pieces);
    const from = Math.max(0, start - i * segmentSize);
    const to = Math.min(plain.length, end - i * segmentSize);
    return plain.subarray(from, to);
  };

  const topUp = (): void => {
    while (jobs.length < inFlight && next <= lastWanted) {
      const p = job(next++);
      p.catch(() => {});
      jobs.push(p);
    }
  };

  const init = async (): Promise<void> => {
    if (ciphertextSize < HEADER_SIZE) {
      throw new AeadError(
        'ERR_AEAD_TRUNCATED',
        `ciphertextSize ${ciphertextSize} is smaller than the header`,
      );
    }
    const header = parseHeader(await readExactly(0, HEADER_SIZE), maxSegmentSize);
    cipher = await openHeader(engine, dek, header, ad, inFlight);
    dek.fill(0);
    noncePrefix = header.noncePrefix;
    segmentSize = header.segmentSize;
    let size: number;
    try {
      size = plaintextSize(ciphertextSize, segmentSize);
    } catch (cause) {
      throw new AeadError(
        'ERR_AEAD_TRUNCATED',
        `ciphertextSize ${ciphertextSize} does not end at a segment boundary for segment size ${segmentSize}`,
        { cause },
      );
    }
    segments = segmentCount(size, segmentSize);
    end = Math.min(end, size);
    if (start < end) {
      next = Math.floor(start / segmentSize);
      lastWanted = Math.floor((end - 1) / segmentSize);
    }
    topUp();
  };

  // workerd may call pull() before an async start() has settled (a deviation from the Streams
  // spec, see docs/RUNTIMES.md), so pull() awaits the same promise start() returns.
  let ready: Promise<void> | undefined;
  return new ReadableStream<Uint8Array>(
    {
      start() {
        ready = init();
        return ready;
      },
      async pull(controller) {
        await ready;
        const head = jobs.shift();
        if (head === undefined) {
          controller.close();
          return;
        }
        const bytes = await head;
        topUp();
        if (bytes.length > 0) controller.enqueue(bytes);
        if (jobs.length === 0) controller.close();
      },
    },
    { highWaterMark: 0 },
  );
}
