import { collect, equalBytes, fromBytes, type SealstreamError } from '@sealstream/streams';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectTyped, fuzz, mutations, settles } from '../../../tests/src/fuzz/byteFuzz.ts';
import type { EngineName } from './AeadEngine.ts';
import { decrypt, decryptRange, decryptStream, encrypt } from './index.ts';

// Fuzz target (docs/FUZZING.md): shared scaffolding in tests/src/fuzz/byteFuzz.ts.
const key = new Uint8Array(32).map((_, i) => i * 7);
const associatedData = new TextEncoder().encode('fuzz');
const plaintext = new Uint8Array(150).map((_, i) => (i * 31) & 0xff);
/** Sealed streams of several shapes: empty, one segment, several with a short last one, exact. */
const shapes = [
  { size: 0, segmentSize: 16 },
  { size: 10, segmentSize: 64 },
  { size: 150, segmentSize: 32 },
  { size: 128, segmentSize: 32 },
];
let sealed: { plain: Uint8Array; sealed: Uint8Array; segmentSize: number }[] = [];

beforeAll(async () => {
  sealed = await Promise.all(
    shapes.map(async ({ size, segmentSize }) => {
      const plain = plaintext.slice(0, size);
      return {
        plain,
        segmentSize,
        sealed: await encrypt(key, plain, { segmentSize, associatedData }),
      };
    }),
  );
});

/** A sealed stream and a modification of it (never equal to it), with an engine to open it. */
const case_ = fc
  .record({
    which: fc.nat(shapes.length - 1),
    engine: fc.constantFrom<EngineName>('webcrypto', 'noble'),
  })
  .chain(({ which, engine }) => {
    const s = sealed[which] as (typeof sealed)[number];
    return mutations(s.sealed)
      .filter((m) => !equalBytes(m, s.sealed))
      .map((modified) => ({ ...s, modified, engine }));
  });

function typed(e: unknown): void {
  expectTyped(e, 'ERR_AEAD_');
}

/** 'refused' with a typed error, 'opened' if it opened. */
function refused(e: unknown): 'refused' {
  typed(e);
  return 'refused';
}

describe('stream format fuzz (decrypt, decryptStream, decryptRange)', () => {
  it('decrypt of a modified stream: ERR_AEAD_*, never plaintext, never a hang', async () => {
    await fc.assert(
      fc.asyncProperty(case_, async ({ modified, engine }) => {
        const out = await settles(decrypt(key, modified, { associatedData, engine })).then(
          () => 'opened',
          refused,
        );
        expect(out).toBe('refused');
      }),
      fuzz(400),
    );
  });

  it('decrypt (one pass) and decryptStream agree on every modified stream: the same error code', async () => {
    const outcome = (p: Promise<Uint8Array>) =>
      settles(p).then(
        (bytes) => `opened ${bytes.length}`,
        (e: unknown) => {
          typed(e);
          return (e as SealstreamError).code;
        },
      );
    await fc.assert(
      fc.asyncProperty(
        case_,
        fc.integer({ min: 1, max: 4 }),
        async ({ modified, engine }, inFlight) => {
          const options = { associatedData, engine, inFlight };
          const once = await outcome(decrypt(key, modified, options));
          const streamed = collect(fromBytes(modified).pipeThrough(decryptStream(key, options)));
          expect(once).toBe(await outcome(streamed));
        },
      ),
      fuzz(600),
    );
  });

  it('decryptStream of a modified stream, in random pieces: ERR_AEAD_*, never all the plaintext', async () => {
    await fc.assert(
      fc.asyncProperty(case_, fc.integer({ min: 1, max: 64 }), async (c, piece) => {
        const out = await settles(
          collect(
            fromBytes(c.modified, piece).pipeThrough(
              decryptStream(key, { associatedData, engine: c.engine }),
            ),
          ),
        ).then(() => 'opened', refused);
        expect(out).toBe('refused');
      }),
      fuzz(300),
    );
  });

  it('decryptRange of a modified stream: ERR_AEAD_* or a true slice of the plaintext (from segments left intact)', async () => {
    await fc.assert(
      fc.asyncProperty(case_, fc.nat(200), fc.nat(200), async (c, a, b) => {
        const [start, end] = a <= b ? [a, b] : [b, a];
        const read = async (offset: number, length: number) =>
          c.modified.slice(offset, offset + length);
        let out: Uint8Array;
        try {
          out = await settles(
            collect(
              decryptRange(key, {
                associatedData,
                engine: c.engine,
                ciphertextSize: c.modified.length,
                start,
                end,
                read,
              }),
            ),
          );
        } catch (e) {
          typed(e);
          return;
        }
        expect(out.length).toBeLessThanOrEqual(end - start);
        expect(equalBytes(out, c.plain.subarray(start, start + out.length))).toBe(true);
      }),
      fuzz(300),
    );
  });

  it('random bytes with a random header size: ERR_AEAD_*', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), async (bytes) => {
        await settles(decrypt(key, bytes, { associatedData })).then(
          () => expect.unreachable('random bytes opened'),
          typed,
        );
      }),
      fuzz(300),
    );
  });
});
