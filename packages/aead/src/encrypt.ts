import { checkAssociatedData, checkInFlight, checkKey } from './checkOptions.ts';
import { deriveStreamKeys } from './deriveStreamKeys.ts';
import type { EncryptOptions } from './encryptStream.ts';
import {
  DEFAULT_IN_FLIGHT,
  DEFAULT_SEGMENT_SIZE,
  HEADER_SIZE,
  MAX_SEGMENTS,
  NONCE_PREFIX_SIZE,
  OFFSET_COMMITMENT,
  SALT_SIZE,
  TAG_SIZE,
} from './format.ts';
import { buildHeader } from './header.ts';
import { resolveEngine } from './resolveEngine.ts';
import { segmentNonce } from './segmentNonce.ts';
import { checkSegmentSize } from './sizes.ts';
import { RANDOM_SOURCE, randomBytes } from './testHook.ts';

/**
 * Seals `plaintext` in one call. The bytes are exactly those {@link encryptStream} gives for the
 * same input (same header, segments and final-segment rule), written straight into one output
 * buffer without a stream: a collection seals its snapshots and pack indexes this way.
 *
 * @example
 * ```ts
 * import { encrypt, HEADER_SIZE } from '@sealstream/aead';
 * const sealed = await encrypt(new Uint8Array(32), new Uint8Array(10));
 * console.assert(sealed.length === HEADER_SIZE + 10 + 16);
 * ```
 */
export async function encrypt(
  key: Uint8Array,
  plaintext: Uint8Array,
  options: EncryptOptions = {},
): Promise<Uint8Array> {
  const caller = 'encrypt';
  if (!(plaintext instanceof Uint8Array))
    throw new TypeError(`${caller}: plaintext must be a Uint8Array`);
  const dek = checkKey(key, caller);
  const ad = checkAssociatedData(options.associatedData, caller);
  const segmentSize = options.segmentSize ?? DEFAULT_SEGMENT_SIZE;
  checkSegmentSize(segmentSize, caller);
  const inFlight = checkInFlight(options.inFlight ?? DEFAULT_IN_FLIGHT, caller);
  const engine = resolveEngine(options.engine, caller);
  const random =
    ((options as Record<symbol, unknown>)[RANDOM_SOURCE] as
      | ((n: number) => Uint8Array)
      | undefined) ?? randomBytes;
  // An empty plaintext is one empty final segment, as in the stream.
  const segments = Math.max(1, Math.ceil(plaintext.length / segmentSize));
  if (segments > MAX_SEGMENTS) {
    throw new RangeError(`${caller}: the plaintext exceeds 2^32 segments of ${segmentSize} bytes`);
  }

  const salt = random(SALT_SIZE);
  const noncePrefix = random(NONCE_PREFIX_SIZE).slice();
  const header = buildHeader(segmentSize, salt, noncePrefix);
  const { streamKey, commitment } = await deriveStreamKeys(engine, dek, header, ad);
  dek.fill(0);
  header.set(commitment, OFFSET_COMMITMENT);
  const cipher = await engine.createSegmentCipher(streamKey, { inFlight });
  streamKey.fill(0);

  const out = new Uint8Array(HEADER_SIZE + plaintext.length + segments * TAG_SIZE);
  out.set(header, 0);
  let written = HEADER_SIZE;
  const place = (pieces: Uint8Array[]): void => {
    for (const piece of pieces) {
      out.set(piece, written);
      written += piece.length;
    }
  };
  // Up to `inFlight` segments sealed at once (an engine may seal on other threads), placed in order.
  const jobs: (Uint8Array[] | Promise<Uint8Array[]> | undefined)[] = [];
  let placed = 0;
  const placeNext = async (): Promise<void> => {
    const job = jobs[placed];
    jobs[placed++] = undefined;
    place(await (job as Promise<Uint8Array[]>));
  };
  for (let i = 0; i < segments; i++) {
    const start = i * segmentSize;
    const piece = plaintext.subarray(start, Math.min(start + segmentSize, plaintext.length));
    const job = cipher.seal(segmentNonce(noncePrefix, i, i === segments - 1), [piece]);
    // A failure is reported when its turn comes, not as an unhandled rejection.
    if (job instanceof Promise) job.catch(() => {});
    jobs.push(job);
    if (jobs.length - placed >= inFlight) await placeNext();
  }
  while (placed < jobs.length) await placeNext();
  return out;
}
