import { equalBytes } from '@sealstream/streams';
import type { AeadEngine, EngineName, SegmentCipher } from './AeadEngine.ts';
import { AeadError } from './AeadError.ts';
import { checkAssociatedData, checkInFlight, checkKey } from './checkOptions.ts';
import { deriveStreamKeys } from './deriveStreamKeys.ts';
import {
  DEFAULT_IN_FLIGHT,
  HEADER_SIZE,
  MAX_SEGMENT_SIZE,
  MAX_SEGMENTS,
  MIN_SEGMENT_SIZE,
  TAG_SIZE,
} from './format.ts';
import { type Header, matchesMagic, parseHeader } from './header.ts';
import { OrderedQueue } from './OrderedQueue.ts';
import { openSegment } from './openSegment.ts';
import { resolveEngine } from './resolveEngine.ts';

/** Options of {@link decryptStream} and {@link decrypt}. */
export interface DecryptOptions {
  /** Must equal the associated data given at encryption. Default: empty. */
  associatedData?: Uint8Array;
  /** Segments opened concurrently, in [1, 64]. Default {@link DEFAULT_IN_FLIGHT}. */
  inFlight?: number;
  /** Default: node:crypto in Node, WebCrypto elsewhere, noble without WebCrypto. */
  engine?: AeadEngine | EngineName;
  /**
   * Reject (ERR_AEAD_BAD_HEADER) a header announcing larger segments, bounding memory to about
   * maxSegmentSize × (inFlight + 1). Default 16 MiB, the format's maximum.
   */
  maxSegmentSize?: number;
}

/** Checks a header's commitment; returns the stream's segment cipher. */
export async function openHeader(
  engine: AeadEngine,
  dek: Uint8Array,
  header: Header,
  ad: Uint8Array,
  inFlight: number,
): Promise<SegmentCipher> {
  const { streamKey, commitment } = await deriveStreamKeys(engine, dek, header.bytes, ad);
  if (!equalBytes(commitment, header.commitment)) {
    streamKey.fill(0);
    throw new AeadError(
      'ERR_AEAD_KEY_MISMATCH',
      'the key commitment does not match: wrong key, wrong associated data, or a damaged header',
    );
  }
  const cipher = await engine.createSegmentCipher(streamKey, { inFlight });
  streamKey.fill(0);
  return cipher;
}

/** Validates `maxSegmentSize`. */
export function checkMaxSegmentSize(max: number, caller: string): number {
  if (!Number.isSafeInteger(max) || max < MIN_SEGMENT_SIZE) {
    throw new RangeError(
      `${caller}: maxSegmentSize must be an integer >= ${MIN_SEGMENT_SIZE}, received ${max}`,
    );
  }
  return max;
}

/**
 * A `TransformStream` that opens a sealed stream made by {@link encryptStream}. Plaintext of a
 * segment is enqueued only after its tag verified, strictly in order; up to `inFlight` segments
 * are opened concurrently. Failures are {@link AeadError}s: BAD_HEADER, UNSUPPORTED_VERSION,
 * KEY_MISMATCH (at the header, before any segment), TAMPERED, TRUNCATED, TRAILING_DATA.
 *
 * @param key - the 32-byte DEK.
 * @throws TypeError / RangeError for a bad key or option (synchronously).
 *
 * @example
 * ```ts
 * import { collect, fromBytes } from '@sealstream/streams';
 * import { decryptStream, encrypt } from '@sealstream/aead';
 * const key = crypto.getRandomValues(new Uint8Array(32));
 * const sealed = await encrypt(key, new TextEncoder().encode('hello'));
 * const opened = await collect(fromBytes(sealed, 7).pipeThrough(decryptStream(key)));
 * console.assert(new TextDecoder().decode(opened) === 'hello');
 * ```
 */
export function decryptStream(
  key: Uint8Array,
  options: DecryptOptions = {},
): TransformStream<Uint8Array, Uint8Array> {
  const caller = 'decryptStream';
  const dek = checkKey(key, caller);
  const ad = checkAssociatedData(options.associatedData, caller);
  const inFlight = checkInFlight(options.inFlight ?? DEFAULT_IN_FLIGHT, caller);
  const queue = new OrderedQueue<Uint8Array[]>(inFlight);
  const engine = resolveEngine(options.engine, caller);
  const maxSegmentSize = checkMaxSegmentSize(options.maxSegmentSize ?? MAX_SEGMENT_SIZE, caller);

  let headerBytes: Uint8Array | undefined = new Uint8Array(0);
  let cipher: SegmentCipher;
  let noncePrefix: Uint8Array;
  let encryptedSegmentSize = 0;
  let index = 0;
  let pieces: Uint8Array[] = [];
  let pending = 0;

  const emit =
    (controller: TransformStreamDefaultController<Uint8Array>) => (out: Uint8Array[]) => {
      for (const piece of out) if (piece.length > 0) controller.enqueue(piece);
    };

  const dispatch = (
    controller: TransformStreamDefaultController<Uint8Array>,
    last: boolean,
  ): Promise<void> => {
    if (index >= MAX_SEGMENTS) {
      throw new AeadError('ERR_AEAD_TRAILING_DATA', 'the stream continues past 2^32 segments');
    }
    let job: Uint8Array[] | Promise<Uint8Array[]>;
    try {
      job = openSegment(cipher, noncePrefix, index, last, pieces);
    } catch (error) {
      job = Promise.reject(error); // surfaces in order, after the segments before it
    }
    index++;
    pieces = [];
    pending = 0;
    return queue.push(job, emit(controller));
  };

  /** Consumes header bytes from `chunk`; returns the offset where segment data begins, or -1. */
  const takeHeader = async (chunk: Uint8Array): Promise<number> => {
    const have = headerBytes as Uint8Array;
    const need = HEADER_SIZE - have.length;
    const part = chunk.subarray(0, need);
    const joined = new Uint8Array(have.length + part.length);
    joined.set(have, 0);
    joined.set(part, have.length);
    if (!matchesMagic(joined)) {
      throw new AeadError(
        'ERR_AEAD_BAD_HEADER',
        'not a sealstream ciphertext: the magic bytes do not match',
      );
    }
    if (joined.length < HEADER_SIZE) {
      headerBytes = joined;
      return -1;
    }
    const header = parseHeader(joined, maxSegmentSize);
    cipher = await openHeader(engine, dek, header, ad, inFlight);
    dek.fill(0);
    noncePrefix = header.noncePrefix;
    encryptedSegmentSize = header.segmentSize + TAG_SIZE;
    headerBytes = undefined;
    return part.length;
  };

  return new TransformStream<Uint8Array, Uint8Array>({
    async transform(chunk, controller) {
      if (!(chunk instanceof Uint8Array))
        throw new TypeError(`${caller}: every chunk must be a Uint8Array`);
      let offset = 0;
      if (headerBytes !== undefined) {
        if (chunk.length === 0) return;
        offset = await takeHeader(chunk);
        if (offset < 0) return;
      }
      while (offset < chunk.length) {
        if (pending === encryptedSegmentSize) await dispatch(controller, false);
        const take = Math.min(encryptedSegmentSize - pending, chunk.length - offset);
        pieces.push(
          offset === 0 && take === chunk.length ? chunk : chunk.subarray(offset, offset + take),
        );
        pending += take;
        offset += take;
      }
    },
    async flush(controller) {
      if (headerBytes !== undefined) {
        throw new AeadError(
          'ERR_AEAD_TRUNCATED',
          `the stream ends inside the header (${headerBytes.length} of ${HEADER_SIZE} bytes)`,
        );
      }
      if (pending < TAG_SIZE) {
        // Drain what was verified first, so the error is about the end of the stream.
        await queue.drain(emit(controller));
        throw new AeadError(
          'ERR_AEAD_TRUNCATED',
          index === 0 && pending === 0
            ? 'the stream ends after the header, before its first segment'
            : `the stream ends inside segment ${index}, before its last segment`,
        );
      }
      await dispatch(controller, true);
      await queue.drain(emit(controller));
    },
  });
}
