import type { AeadEngine, EngineName, SegmentCipher } from './AeadEngine.ts';
import { checkAssociatedData, checkInFlight, checkKey } from './checkOptions.ts';
import { deriveStreamKeys } from './deriveStreamKeys.ts';
import {
  DEFAULT_IN_FLIGHT,
  DEFAULT_SEGMENT_SIZE,
  MAX_SEGMENTS,
  NONCE_PREFIX_SIZE,
  OFFSET_COMMITMENT,
  SALT_SIZE,
} from './format.ts';
import { buildHeader } from './header.ts';
import { OrderedQueue } from './OrderedQueue.ts';
import { resolveEngine } from './resolveEngine.ts';
import { segmentNonce } from './segmentNonce.ts';
import { checkSegmentSize } from './sizes.ts';
import { RANDOM_SOURCE, randomBytes } from './testHook.ts';

/** Options of {@link encryptStream} and {@link encrypt}. */
export interface EncryptOptions {
  /** Names the object (e.g. backup id + path); the same bytes must be given to decrypt. Default: empty. */
  associatedData?: Uint8Array;
  /** Plaintext bytes per segment, in [16, 16 MiB]. Default {@link DEFAULT_SEGMENT_SIZE}. */
  segmentSize?: number;
  /** Segments sealed concurrently, in [1, 64]. Default {@link DEFAULT_IN_FLIGHT}. */
  inFlight?: number;
  /** Default: node:crypto in Node, WebCrypto elsewhere, noble without WebCrypto. */
  engine?: AeadEngine | EngineName;
}

/**
 * A `TransformStream` that seals a byte stream with a 32-byte data key (DEK) into the sealstream
 * format (docs/FORMAT.md): a header with a fresh random salt and nonce prefix, then AES-256-GCM
 * segments of `segmentSize` plaintext bytes under a per-stream key derived with HKDF-SHA256.
 *
 * Output is strictly in order; up to `inFlight` segments are sealed concurrently; memory is
 * O(segmentSize × inFlight). Input chunks are not copied (a producer must not reuse a buffer
 * after enqueueing it).
 *
 * @param key - the 32-byte DEK (copied; the caller may wipe its own array).
 * @throws TypeError / RangeError for a bad key or option (synchronously).
 *
 * @example
 * ```ts
 * import { collect, fromBytes } from '@sealstream/streams';
 * import { decryptStream, encryptStream } from '@sealstream/aead';
 * const key = crypto.getRandomValues(new Uint8Array(32));
 * const associatedData = new TextEncoder().encode('backup-1/data/0001');
 * const sealed = await collect(
 *   fromBytes(new TextEncoder().encode('hello')).pipeThrough(encryptStream(key, { associatedData })),
 * );
 * const opened = await collect(fromBytes(sealed).pipeThrough(decryptStream(key, { associatedData })));
 * console.assert(new TextDecoder().decode(opened) === 'hello');
 * ```
 */
export function encryptStream(
  key: Uint8Array,
  options: EncryptOptions = {},
): TransformStream<Uint8Array, Uint8Array> {
  const caller = 'encryptStream';
  const dek = checkKey(key, caller);
  const ad = checkAssociatedData(options.associatedData, caller);
  const segmentSize = options.segmentSize ?? DEFAULT_SEGMENT_SIZE;
  checkSegmentSize(segmentSize, caller);
  const inFlight = checkInFlight(options.inFlight ?? DEFAULT_IN_FLIGHT, caller);
  const queue = new OrderedQueue<Uint8Array[]>(inFlight);
  const engine = resolveEngine(options.engine, caller);
  const random =
    ((options as Record<symbol, unknown>)[RANDOM_SOURCE] as
      | ((n: number) => Uint8Array)
      | undefined) ?? randomBytes;

  let cipher: SegmentCipher;
  let noncePrefix: Uint8Array;
  let index = 0;
  let pieces: Uint8Array[] = [];
  let pending = 0;

  const dispatch = (
    controller: TransformStreamDefaultController<Uint8Array>,
    last: boolean,
  ): Promise<void> => {
    if (index >= MAX_SEGMENTS) {
      throw new RangeError(`${caller}: the stream exceeds 2^32 segments of ${segmentSize} bytes`);
    }
    const job = cipher.seal(segmentNonce(noncePrefix, index, last), pieces);
    index++;
    pieces = [];
    pending = 0;
    return queue.push(job, (out) => {
      for (const piece of out) controller.enqueue(piece);
    });
  };

  return new TransformStream<Uint8Array, Uint8Array>({
    async start(controller) {
      const salt = random(SALT_SIZE);
      noncePrefix = random(NONCE_PREFIX_SIZE).slice();
      const header = buildHeader(segmentSize, salt, noncePrefix);
      const { streamKey, commitment } = await deriveStreamKeys(engine, dek, header, ad);
      dek.fill(0);
      header.set(commitment, OFFSET_COMMITMENT);
      cipher = await engine.createSegmentCipher(streamKey, { inFlight });
      streamKey.fill(0);
      controller.enqueue(header);
    },
    async transform(chunk, controller) {
      if (!(chunk instanceof Uint8Array))
        throw new TypeError(`${caller}: every chunk must be a Uint8Array`);
      let offset = 0;
      while (offset < chunk.length) {
        if (pending === segmentSize) await dispatch(controller, false);
        const take = Math.min(segmentSize - pending, chunk.length - offset);
        pieces.push(
          offset === 0 && take === chunk.length ? chunk : chunk.subarray(offset, offset + take),
        );
        pending += take;
        offset += take;
      }
    },
    async flush(controller) {
      await dispatch(controller, true);
      await queue.drain((out) => {
        for (const piece of out) controller.enqueue(piece);
      });
    },
  });
}
