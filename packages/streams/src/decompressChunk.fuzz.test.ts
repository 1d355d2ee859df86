import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeBase64 } from './base64.ts';
import { compressChunk } from './compressChunk.ts';
import { decompressChunk } from './decompressChunk.ts';
import { SealstreamError } from './SealstreamError.ts';

// Fuzz target (docs/FUZZING.md): a fixed seed and case count here; SEALSTREAM_FUZZ_RUNS,
// SEALSTREAM_FUZZ_SEED and SEALSTREAM_FUZZ_PATH run longer or replay a failure.
const env =
  (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
function fuzz<T>(runs: number): fc.Parameters<T> {
  return {
    numRuns: Number(env.SEALSTREAM_FUZZ_RUNS) || runs,
    seed: Number(env.SEALSTREAM_FUZZ_SEED) || 13,
    ...(env.SEALSTREAM_FUZZ_PATH ? { path: env.SEALSTREAM_FUZZ_PATH } : {}),
  };
}

/** `valid` with bytes flipped, cut, inserted or appended, or wholly random bytes. */
function mutations(valid: Uint8Array): fc.Arbitrary<Uint8Array> {
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
      let b = valid.slice();
      for (const e of list) {
        const i = 'at' in e ? e.at % (b.length + 1) : b.length;
        if (e.op === 'flip' && i < b.length) b[i] = (b[i] as number) ^ e.x;
        else if (e.op === 'cut') b = concat(b.subarray(0, i), b.subarray(i + e.n));
        else if (e.op === 'truncate') b = b.slice(0, i);
        else if (e.op === 'insert' || e.op === 'append')
          b = concat(b.subarray(0, i), e.bytes, b.subarray(i));
      }
      return b;
    });
  return fc.oneof(
    { weight: 4, arbitrary: edits },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: valid.length + 64 }) },
  );
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Rethrows anything but a SealstreamError whose code starts with `prefix`. */
function expectTyped(e: unknown, ...prefixes: string[]): void {
  if (!(e instanceof SealstreamError) || !prefixes.some((p) => e.code.startsWith(p))) throw e;
}
/** Fails the property instead of hanging. */
async function settles<T>(p: Promise<T>, ms = 10_000): Promise<T> {
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

function header(codec: number, size: number): Uint8Array {
  return new Uint8Array([codec, size >>> 24, (size >>> 16) & 255, (size >>> 8) & 255, size & 255]);
}

/** A zstd level 3 frame by libzstd: 'sealstream ' × 400 (4,400 bytes). */
const ZSTD_A = decodeBase64('KLUv/WAwEJ0AAFhzZWFsc3RyZWFtIAEAIuG+eAE=');
const words = new TextEncoder().encode(
  'seal stream chunk zstd deflate backup restore key '.repeat(60),
);
let encoded: Uint8Array[] = [];

beforeAll(async () => {
  encoded = [
    await compressChunk(words, { codec: 'raw' }),
    await compressChunk(words, { codec: 'deflate-raw', minSaving: 0 }),
    await compressChunk(words.subarray(0, 120), { codec: 'deflate-raw', minSaving: 0 }),
    concat(header(2, 4400), ZSTD_A),
  ];
  expect(encoded.map((e) => e[0])).toEqual([0, 1, 1, 2]);
});

/** Decodes: at most maxSize bytes, or an ERR_CHUNK_* error, within a deadline. */
async function check(bytes: Uint8Array, maxSize: number): Promise<void> {
  let out: Uint8Array;
  try {
    out = await settles(decompressChunk(bytes, { maxSize }));
  } catch (e) {
    expectTyped(e, 'ERR_CHUNK_');
    return;
  }
  expect(out.length).toBeLessThanOrEqual(maxSize);
}

const maxSizes = fc.oneof(fc.constant(1 << 20), fc.nat(5000));

describe('chunk codec fuzz (decompressChunk)', () => {
  it('mutated raw, deflate-raw and zstd chunks: at most maxSize bytes or ERR_CHUNK_*', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(3).chain((i) => mutations(encoded[i] as Uint8Array)),
        maxSizes,
        check,
      ),
      fuzz(800),
    );
  });

  it('a valid header over a random or mutated body: at most maxSize bytes or ERR_CHUNK_*', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(0, 1, 2, 3, 255),
        fc.oneof(fc.nat(10_000), fc.constant(0xffff_ffff)),
        fc.oneof(fc.uint8Array({ maxLength: 300 }), mutations(ZSTD_A)),
        maxSizes,
        (codec, size, body, maxSize) => check(concat(header(codec, size), body), maxSize),
      ),
      fuzz(600),
    );
  });

  it('an unmodified chunk decodes to its input', async () => {
    for (const e of encoded.slice(0, 2))
      expect(equal(await decompressChunk(e, { maxSize: 1 << 20 }), words)).toBe(true);
    expect((await decompressChunk(encoded[3] as Uint8Array, { maxSize: 4400 })).length).toBe(4400);
  });
});
