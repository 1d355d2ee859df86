import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectTyped, fuzz, mutations, settles } from '../../../tests/src/fuzz/byteFuzz.ts';
import { decodeBase64 } from './base64.ts';
import { compressChunk } from './compressChunk.ts';
import { concatBytes } from './concatBytes.ts';
import { decompressChunk } from './decompressChunk.ts';
import { equalBytes } from './equalBytes.ts';

// Fuzz target (docs/FUZZING.md): shared scaffolding in tests/src/fuzz/byteFuzz.ts.
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
    concatBytes(header(2, 4400), ZSTD_A),
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
        (codec, size, body, maxSize) => check(concatBytes(header(codec, size), body), maxSize),
      ),
      fuzz(600),
    );
  });

  it('an unmodified chunk decodes to its input', async () => {
    for (const e of encoded.slice(0, 2))
      expect(equalBytes(await decompressChunk(e, { maxSize: 1 << 20 }), words)).toBe(true);
    expect((await decompressChunk(encoded[3] as Uint8Array, { maxSize: 4400 })).length).toBe(4400);
  });
});
