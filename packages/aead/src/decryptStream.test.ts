import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AeadEngine, EngineName } from './AeadEngine.ts';
import {
  AeadError,
  decrypt,
  decryptStream,
  encrypt,
  HEADER_SIZE,
  MAX_SEGMENT_SIZE,
  MIN_SEGMENT_SIZE,
} from './index.ts';
import { workerEngine } from './testing/engines.node.ts';
import { codeOf, flip, open, pattern, split } from './testing/helpers.ts';
import './index.node.ts';

const TAG = 16;
const RUNS = Number(process.env.FC_RUNS ?? 200);

/** A sealed stream with its parameters, for properties. */
const sealedArb = fc.record({
  plaintext: fc.uint8Array({ maxLength: 260, size: 'max' }),
  segmentSize: fc.integer({ min: 16, max: 48 }),
  key: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  associatedData: fc.uint8Array({ maxLength: 40, size: 'max' }),
});

interface Sealed {
  plaintext: Uint8Array;
  segmentSize: number;
  key: Uint8Array;
  associatedData: Uint8Array;
  sealed: Uint8Array;
}

async function sealCase(p: Omit<Sealed, 'sealed'>): Promise<Sealed> {
  const sealed = await encrypt(p.key, p.plaintext, {
    segmentSize: p.segmentSize,
    associatedData: p.associatedData,
    engine: 'node',
  });
  return { ...p, sealed };
}

const openArb = fc.record({
  engine: fc.constantFrom<AeadEngine | EngineName>('webcrypto', 'node', 'noble', workerEngine),
  inFlight: fc.integer({ min: 1, max: 4 }),
  chunks: fc.array(fc.integer({ min: 1, max: 70 }), { minLength: 1, maxLength: 5 }),
});

type OpenParams = { engine: AeadEngine | EngineName; inFlight: number; chunks: number[] };

async function openCase(
  c: Sealed,
  bytes: Uint8Array,
  o: OpenParams,
  key = c.key,
  associatedData = c.associatedData,
) {
  return open(key, split(bytes, o.chunks), {
    engine: o.engine,
    inFlight: o.inFlight,
    associatedData,
  });
}

/** Nothing but verified plaintext: a prefix of the plaintext, from segments before `firstBad`. */
function expectOnlyVerified(c: Sealed, output: Uint8Array, firstBad: number) {
  expect(output.length).toBeLessThanOrEqual(Math.max(0, firstBad) * c.segmentSize);
  expect(output).toEqual(c.plaintext.subarray(0, output.length));
}

function segments(c: Sealed): number {
  return c.plaintext.length === 0 ? 1 : Math.ceil(c.plaintext.length / c.segmentSize);
}

function expectAeadError(error: unknown, code: string) {
  expect(error).toBeInstanceOf(AeadError);
  expect(codeOf(error)).toBe(code);
}

describe('decryptStream rejects every damage with the right typed error (properties)', () => {
  it('any single-byte change anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(
        sealedArb,
        openArb,
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        async (p, o, at, xor) => {
          const c = await sealCase(p);
          const pos = at % c.sealed.length;
          const bad = c.sealed.slice();
          bad[pos] = (bad[pos] as number) ^ xor;
          const r = await openCase(c, bad, o);
          let expected: string;
          if (pos < 8) expected = 'ERR_AEAD_BAD_HEADER';
          else if (pos === 8) expected = 'ERR_AEAD_UNSUPPORTED_VERSION';
          else if (pos < 13) {
            const s = new DataView(bad.buffer).getUint32(9, false);
            expected =
              s < MIN_SEGMENT_SIZE || s > MAX_SEGMENT_SIZE
                ? 'ERR_AEAD_BAD_HEADER'
                : 'ERR_AEAD_KEY_MISMATCH';
          } else if (pos < HEADER_SIZE) expected = 'ERR_AEAD_KEY_MISMATCH';
          else expected = 'ERR_AEAD_TAMPERED';
          expectAeadError(r.error, expected);
          const firstBad =
            pos < HEADER_SIZE ? 0 : Math.floor((pos - HEADER_SIZE) / (c.segmentSize + TAG));
          expectOnlyVerified(c, r.output, firstBad);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('any truncation', async () => {
    await fc.assert(
      fc.asyncProperty(sealedArb, openArb, fc.nat(), async (p, o, at) => {
        const c = await sealCase(p);
        const length = at % c.sealed.length;
        const r = await openCase(c, c.sealed.subarray(0, length), o);
        const body = length - HEADER_SIZE;
        const rest = body < 0 ? 0 : body % (c.segmentSize + TAG);
        // A cut inside a segment's last 16 bytes' worth or at a segment boundary is provably a
        // truncation; a cut leaving >= 16 bytes of a segment looks like a damaged last segment.
        const expected = body <= 0 || rest < TAG ? 'ERR_AEAD_TRUNCATED' : 'ERR_AEAD_TAMPERED';
        expectAeadError(r.error, expected);
        expectOnlyVerified(c, r.output, body < 0 ? 0 : Math.floor(body / (c.segmentSize + TAG)));
      }),
      { numRuns: RUNS },
    );
  });

  it('any swap, duplication or drop of segments', async () => {
    await fc.assert(
      fc.asyncProperty(
        sealedArb.filter((p) => p.plaintext.length > p.segmentSize),
        openArb,
        fc.constantFrom('swap', 'duplicate', 'drop'),
        fc.nat(),
        fc.nat(),
        async (p, o, op, a, b) => {
          const c = await sealCase(p);
          const n = segments(c);
          const E = c.segmentSize + TAG;
          const segs = Array.from({ length: n }, (_, i) =>
            c.sealed.subarray(
              HEADER_SIZE + i * E,
              Math.min(c.sealed.length, HEADER_SIZE + (i + 1) * E),
            ),
          );
          const lastFull = c.plaintext.length % c.segmentSize === 0;
          let i = a % n;
          let expected = 'ERR_AEAD_TAMPERED';
          let firstBad = i;
          if (op === 'swap') {
            let j = b % n;
            if (i === j) j = (i + 1) % n;
            [i, j] = [Math.min(i, j), Math.max(i, j)];
            [segs[i], segs[j]] = [segs[j] as Uint8Array, segs[i] as Uint8Array];
            firstBad = i;
          } else if (op === 'duplicate') {
            segs.splice(i + 1, 0, segs[i] as Uint8Array);
            firstBad = i + 1;
            if (i === n - 1 && lastFull) {
              expected = 'ERR_AEAD_TRAILING_DATA';
              firstBad = n - 1;
            }
          } else {
            segs.splice(i, 1);
            if (i === n - 1) expected = 'ERR_AEAD_TRUNCATED';
            if (i === n - 1) firstBad = n - 2;
          }
          const r = await openCase(c, concat([c.sealed.subarray(0, HEADER_SIZE), ...segs]), o);
          expectAeadError(r.error, expected);
          expectOnlyVerified(c, r.output, firstBad);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('appended bytes', async () => {
    await fc.assert(
      fc.asyncProperty(
        sealedArb,
        openArb,
        fc.uint8Array({ minLength: 1, maxLength: 80, size: 'max' }),
        async (p, o, extra) => {
          const c = await sealCase(p);
          const r = await openCase(c, concat([c.sealed, extra]), o);
          const P = c.plaintext.length;
          // Provable only when the last segment is full; otherwise the extra bytes garble it.
          const expected =
            P > 0 && P % c.segmentSize === 0 ? 'ERR_AEAD_TRAILING_DATA' : 'ERR_AEAD_TAMPERED';
          expectAeadError(r.error, expected);
          expectOnlyVerified(c, r.output, segments(c) - 1);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a wrong key or wrong associated data, before any segment', async () => {
    await fc.assert(
      fc.asyncProperty(
        sealedArb,
        openArb,
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ maxLength: 40 }),
        fc.boolean(),
        async (p, o, otherKey, otherAd, wrongKey) => {
          const c = await sealCase(p);
          const key = wrongKey ? otherKey : c.key;
          const ad = wrongKey ? c.associatedData : otherAd;
          fc.pre(wrongKey ? !eq(key, c.key) : !eq(ad, c.associatedData));
          const r = await openCase(c, c.sealed, o, key, ad);
          expectAeadError(r.error, 'ERR_AEAD_KEY_MISMATCH');
          expect(r.output.length).toBe(0);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('decryptStream: other formats and versions', () => {
  const key = pattern(32, 5);
  it('reports bytes of another format as BAD_HEADER, at once', async () => {
    for (const junk of [
      new TextEncoder().encode('age-encryption.org/v1\n-> X25519 ...'),
      pattern(500, 9),
      new Uint8Array([0x89]),
    ]) {
      const r = await open(key, split(junk, [3]));
      if (junk.length === 1) expectAeadError(r.error, 'ERR_AEAD_TRUNCATED');
      else expectAeadError(r.error, 'ERR_AEAD_BAD_HEADER');
      expect(r.output.length).toBe(0);
    }
  });

  it('reports an empty stream and a header-only stream as TRUNCATED', async () => {
    const sealed = await encrypt(key, new Uint8Array(3));
    expectAeadError((await open(key, [])).error, 'ERR_AEAD_TRUNCATED');
    const r = await open(key, [sealed.subarray(0, HEADER_SIZE)]);
    expectAeadError(r.error, 'ERR_AEAD_TRUNCATED');
    expect((r.error as Error).message).toMatch(/before its first segment/);
  });

  it('reports another version as UNSUPPORTED_VERSION', async () => {
    const sealed = await encrypt(key, new Uint8Array(3));
    sealed[8] = 2;
    const r = await open(key, [sealed]);
    expectAeadError(r.error, 'ERR_AEAD_UNSUPPORTED_VERSION');
    expect((r.error as Error).message).toBe(
      'sealstream format version 2 is not supported (this code reads version 1)',
    );
  });

  it('refuses a header announcing segments above maxSegmentSize', async () => {
    const sealed = await encrypt(key, new Uint8Array(3), { segmentSize: 4096 });
    await expect(decrypt(key, sealed, { maxSegmentSize: 1024 })).rejects.toMatchObject({
      code: 'ERR_AEAD_BAD_HEADER',
      message: 'header: segment size 4096 exceeds maxSegmentSize 1024',
    });
    expect(() => decryptStream(key, { maxSegmentSize: 1 })).toThrow(RangeError);
  });

  it('never puts key bytes in an error message', async () => {
    const sealed = await encrypt(key, new Uint8Array(40), { segmentSize: 16 });
    flip(sealed, HEADER_SIZE + 3);
    const r = await open(key, [sealed]);
    const text = `${(r.error as Error).message} ${String(r.error)}`;
    expect(text).not.toMatch(/[0-9a-f]{16}/);
  });
});

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, x) => n + x.length, 0));
  let o = 0;
  for (const x of parts) {
    out.set(x, o);
    o += x.length;
  }
  return out;
}

function eq(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
