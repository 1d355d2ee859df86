import { encrypt } from '@sealstream/aead';
import { equalBytes } from '@sealstream/streams';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectTyped, fuzz, mutations } from '../../../tests/src/fuzz/byteFuzz.ts';
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

// Fuzz target (docs/FUZZING.md): shared scaffolding in tests/src/fuzz/byteFuzz.ts.
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
  expect(equalBytes(encodePackIndex(decoded), bytes)).toBe(true);
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
          expect(equalBytes(bytes, sealed)).toBe(true);
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
