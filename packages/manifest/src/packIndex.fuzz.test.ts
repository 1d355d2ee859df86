import { encrypt } from '@sealstream/aead';
import { SealstreamError } from '@sealstream/streams';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ChainKeys, deriveChainKeys } from './chainKeys.ts';
import {
  decodePackIndex,
  encodePackIndex,
  openPackIndex,
  PACK_TRAILER_BYTES,
  type PackIndex,
  packIndexRange,
  sealPackIndex,
} from './packIndex.ts';
import { sealedAssociatedData } from './sealedKinds.ts';

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
const index: PackIndex = {
  kind: 'data',
  blobs: [
    { id: new Uint8Array(32).fill(1), offset: 0, sealedLength: 120, plainLength: 20 },
    { id: new Uint8Array(32).fill(2), offset: 120, sealedLength: 300, plainLength: 200 },
    { id: new Uint8Array(32).fill(3), offset: 420, sealedLength: 80, plainLength: 0 },
  ],
};
const plain = encodePackIndex(index);
const blobsEnd = 500;
const packId = 'ab'.repeat(16);
let keys: ChainKeys;
let tail: Uint8Array;

beforeAll(async () => {
  keys = await deriveChainKeys(new Uint8Array(32).fill(9));
  tail = await sealPackIndex(keys.meta, keys.chainId, packId, index);
});

function checkDecoded(bytes: Uint8Array, decoded: PackIndex): void {
  expect(equal(encodePackIndex(decoded), bytes)).toBe(true);
  const last = decoded.blobs[decoded.blobs.length - 1];
  expect(last === undefined ? 0 : last.offset + last.sealedLength).toBe(blobsEnd);
}

describe('pack index fuzz', () => {
  it('decodePackIndex of mutated indexes: a canonical index ending at blobsEnd, or ERR_MANIFEST_*', () => {
    fc.assert(
      fc.property(mutations(plain), (bytes) => {
        try {
          checkDecoded(bytes, decodePackIndex(bytes, { blobsEnd, file: 'p' }));
        } catch (e) {
          expectTyped(e, 'ERR_MANIFEST_');
        }
      }),
      fuzz(1500),
    );
  });

  it('packIndexRange of mutated trailers and any pack size: a range inside the pack, or ERR_MANIFEST_INVALID', () => {
    const trailer = tail.subarray(tail.length - PACK_TRAILER_BYTES);
    fc.assert(
      fc.property(
        mutations(trailer),
        fc.oneof(fc.nat(1 << 20), fc.integer({ min: -5, max: 2 ** 53 - 1 })),
        (t, packSize) => {
          try {
            const { start, end } = packIndexRange(t, packSize, 'p');
            expect(Number.isSafeInteger(start) && Number.isSafeInteger(end)).toBe(true);
            expect(0 <= start && start < end && end === packSize - PACK_TRAILER_BYTES).toBe(true);
          } catch (e) {
            expectTyped(e, 'ERR_MANIFEST_INVALID');
          }
        },
      ),
      fuzz(1000),
    );
  });

  it('openPackIndex of a mutated sealed index: ERR_AEAD_* unless the bytes are unchanged', async () => {
    const sealed = tail.subarray(0, tail.length - PACK_TRAILER_BYTES);
    await fc.assert(
      fc.asyncProperty(mutations(sealed), async (bytes) => {
        try {
          const out = await openPackIndex(keys.meta, keys.chainId, packId, bytes, { blobsEnd });
          expect(equal(bytes, sealed)).toBe(true);
          expect(out).toEqual(index);
        } catch (e) {
          expectTyped(e, 'ERR_AEAD_');
        }
      }),
      fuzz(300),
    );
  });

  it('openPackIndex of mutated plaintext sealed with the right key: a valid index or ERR_MANIFEST_*', async () => {
    const ad = sealedAssociatedData('packIndex', [keys.chainId, packId]);
    await fc.assert(
      fc.asyncProperty(mutations(plain), async (bytes) => {
        const sealed = await encrypt(keys.meta, bytes, { associatedData: ad });
        try {
          checkDecoded(
            bytes,
            await openPackIndex(keys.meta, keys.chainId, packId, sealed, { blobsEnd }),
          );
        } catch (e) {
          expectTyped(e, 'ERR_MANIFEST_');
        }
      }),
      fuzz(200),
    );
  });
});
