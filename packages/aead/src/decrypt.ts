import { concatBytes } from '@sealstream/streams';
import { AeadError } from './AeadError.ts';
import { checkAssociatedData, checkInFlight, checkKey } from './checkOptions.ts';
import { checkMaxSegmentSize, type DecryptOptions, openHeader } from './decryptStream.ts';
import {
  DEFAULT_IN_FLIGHT,
  HEADER_SIZE,
  MAX_SEGMENT_SIZE,
  MAX_SEGMENTS,
  TAG_SIZE,
} from './format.ts';
import { matchesMagic, parseHeader } from './header.ts';
import { openSegment } from './openSegment.ts';
import { resolveEngine } from './resolveEngine.ts';

/**
 * Opens a sealed byte array in one call, with the checks and errors of {@link decryptStream}
 * (the same {@link AeadError} for the same input, the first failing segment's when several fail)
 * but without a stream: a restore opens one small blob per small file this way. Never returns
 * partial plaintext.
 *
 * @example
 * ```ts
 * import { decrypt, encrypt } from '@sealstream/aead';
 * const key = crypto.getRandomValues(new Uint8Array(32));
 * const opened = await decrypt(key, await encrypt(key, new Uint8Array([1, 2])));
 * console.assert(opened.join() === '1,2');
 * ```
 */
export async function decrypt(
  key: Uint8Array,
  ciphertext: Uint8Array,
  options: DecryptOptions = {},
): Promise<Uint8Array> {
  const caller = 'decrypt';
  if (!(ciphertext instanceof Uint8Array))
    throw new TypeError(`${caller}: ciphertext must be a Uint8Array`);
  const dek = checkKey(key, caller);
  const ad = checkAssociatedData(options.associatedData, caller);
  const inFlight = checkInFlight(options.inFlight ?? DEFAULT_IN_FLIGHT, caller);
  const engine = resolveEngine(options.engine, caller);
  const maxSegmentSize = checkMaxSegmentSize(options.maxSegmentSize ?? MAX_SEGMENT_SIZE, caller);

  if (!matchesMagic(ciphertext)) {
    throw new AeadError(
      'ERR_AEAD_BAD_HEADER',
      'not a sealstream ciphertext: the magic bytes do not match',
    );
  }
  if (ciphertext.length < HEADER_SIZE) {
    throw new AeadError(
      'ERR_AEAD_TRUNCATED',
      `the stream ends inside the header (${ciphertext.length} of ${HEADER_SIZE} bytes)`,
    );
  }
  const header = parseHeader(ciphertext.slice(0, HEADER_SIZE), maxSegmentSize);
  const cipher = await openHeader(engine, dek, header, ad, inFlight);
  dek.fill(0);

  // Segments are cut as the stream cuts them: every full one that more bytes follow is not the
  // last; what remains at the end (1 to a full segment) is the last one.
  const body = ciphertext.subarray(HEADER_SIZE);
  const encrypted = header.segmentSize + TAG_SIZE;
  const segments = Math.ceil(body.length / encrypted);
  const lastLength = body.length - (segments - 1) * encrypted;
  const opened: Uint8Array[] = [];
  const jobs: (Uint8Array[] | Promise<Uint8Array[]> | undefined)[] = [];
  let placed = 0;
  const placeNext = async (): Promise<void> => {
    const job = jobs[placed];
    jobs[placed++] = undefined;
    for (const piece of await (job as Promise<Uint8Array[]>)) {
      if (piece.length === 0) continue;
      opened.push(piece);
    }
  };
  // Up to `inFlight` segments opened at once (an engine may open on other threads), in order.
  const open = async (index: number, last: boolean, length: number): Promise<void> => {
    if (index >= MAX_SEGMENTS) {
      throw new AeadError('ERR_AEAD_TRAILING_DATA', 'the stream continues past 2^32 segments');
    }
    const start = index * encrypted;
    let job: Uint8Array[] | Promise<Uint8Array[]>;
    try {
      job = openSegment(cipher, header.noncePrefix, index, last, [
        body.subarray(start, start + length),
      ]);
    } catch (error) {
      job = Promise.reject(error);
    }
    // A later segment's failure is reported when its turn comes, not as an unhandled rejection.
    if (job instanceof Promise) job.catch(() => {});
    jobs.push(job);
    if (jobs.length - placed >= inFlight) await placeNext();
  };
  try {
    const truncated = segments === 0 || lastLength < TAG_SIZE;
    const full = truncated ? Math.max(0, segments - 1) : segments - 1;
    for (let i = 0; i < full; i++) await open(i, false, encrypted);
    if (!truncated) await open(full, true, lastLength);
    while (placed < jobs.length) await placeNext();
    if (truncated) {
      throw new AeadError(
        'ERR_AEAD_TRUNCATED',
        segments === 0
          ? 'the stream ends after the header, before its first segment'
          : `the stream ends inside segment ${full}, before its last segment`,
      );
    }
  } catch (e) {
    for (const piece of opened) piece.fill(0);
    throw e;
  }
  return opened.length === 1 ? (opened[0] as Uint8Array) : concatBytes(...opened);
}
