/**
 * What the byte-parser fuzz targets share (docs/FUZZING.md): mutations of a valid encoding, the
 * typed-error check and the hang deadline. Test code only, reached by a relative path (no package
 * exports it); it imports nothing from Node, so the targets run in Chromium, Deno and workerd too.
 */
import { concatBytes, SealstreamError } from '@sealstream/streams';
import fc from 'fast-check';

export { fuzz } from './fuzz.ts';

/** `valid` with bytes flipped, cut, inserted or appended, or wholly random bytes. */
export function mutations(valid: Uint8Array): fc.Arbitrary<Uint8Array> {
  const edits = fc
    .array(
      fc.oneof(
        fc.record({ op: fc.constant('flip'), at: fc.nat(), x: fc.integer({ min: 1, max: 255 }) }),
        fc.record({ op: fc.constant('cut'), at: fc.nat(), n: fc.integer({ min: 1, max: 64 }) }),
        fc.record({ op: fc.constant('truncate'), at: fc.nat() }),
        fc.record({
          op: fc.constant('insert'),
          at: fc.nat(),
          bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
        }),
        fc.record({
          op: fc.constant('append'),
          bytes: fc.uint8Array({ minLength: 1, maxLength: 40 }),
        }),
      ),
      { minLength: 1, maxLength: 3 },
    )
    .map((list) => {
      let b: Uint8Array = valid.slice();
      for (const e of list) {
        const i = 'at' in e ? e.at % (b.length + 1) : b.length;
        if (e.op === 'flip' && i < b.length) b[i] = (b[i] as number) ^ e.x;
        else if (e.op === 'cut') b = concatBytes(b.subarray(0, i), b.subarray(i + e.n));
        else if (e.op === 'truncate') b = b.slice(0, i);
        else if (e.op === 'insert' || e.op === 'append')
          b = concatBytes(b.subarray(0, i), e.bytes, b.subarray(i));
      }
      return b;
    });
  return fc.oneof(
    { weight: 4, arbitrary: edits },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: valid.length + 64 }) },
  );
}

/** Rethrows anything but a SealstreamError whose code starts with one of `prefixes`. */
export function expectTyped(e: unknown, ...prefixes: string[]): void {
  if (!(e instanceof SealstreamError) || !prefixes.some((p) => e.code.startsWith(p))) throw e;
}

/** Fails the property instead of hanging: `p` must settle within `ms`. */
export async function settles<T>(p: Promise<T>, ms = 10_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not settle in ${ms} ms (hang)`)), ms);
  });
  try {
    return await Promise.race([p, hang]);
  } finally {
    clearTimeout(timer);
  }
}
