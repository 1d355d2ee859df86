import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ciphertextSize,
  DEFAULT_SEGMENT_SIZE,
  encrypt,
  HEADER_SIZE,
  plaintextSize,
} from './index.ts';
import { pattern } from './testing/helpers.ts';
import './index.node.ts';

describe('ciphertextSize / plaintextSize', () => {
  it('matches real ciphertexts at the boundaries', async () => {
    for (const segmentSize of [16, 17, 100]) {
      for (const n of [
        0,
        1,
        segmentSize - 1,
        segmentSize,
        segmentSize + 1,
        3 * segmentSize,
        3 * segmentSize + 5,
      ]) {
        const sealed = await encrypt(pattern(32), new Uint8Array(n), {
          segmentSize,
          engine: 'node',
        });
        expect(ciphertextSize(n, segmentSize)).toBe(sealed.length);
        expect(plaintextSize(sealed.length, segmentSize)).toBe(n);
      }
    }
    expect(ciphertextSize(0)).toBe(HEADER_SIZE + 16);
    expect(ciphertextSize(5 * DEFAULT_SEGMENT_SIZE)).toBe(
      HEADER_SIZE + 5 * DEFAULT_SEGMENT_SIZE + 5 * 16,
    );
  });

  it('are inverse, and plaintextSize rejects every impossible size (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e7 }), fc.integer({ min: 16, max: 5000 }), (n, s) => {
        const c = ciphertextSize(n, s);
        expect(plaintextSize(c, s)).toBe(n);
        // c - 1 and c + 1 are sizes of other plaintexts or impossible, never of n.
        for (const d of [c - 1, c + 1]) {
          try {
            const m = plaintextSize(d, s);
            expect(ciphertextSize(m, s)).toBe(d);
          } catch (e) {
            expect(e).toBeInstanceOf(RangeError);
          }
        }
      }),
    );
  });

  it('rejects bad arguments', () => {
    expect(() => ciphertextSize(-1)).toThrow(RangeError);
    expect(() => ciphertextSize(1.5)).toThrow(RangeError);
    expect(() => ciphertextSize(10, 8)).toThrow(
      /segmentSize must be an integer in \[16, 16777216\]/,
    );
    expect(() => plaintextSize(HEADER_SIZE + 15, 16)).toThrow(RangeError);
    expect(() => plaintextSize(HEADER_SIZE + 32 + 16, 16)).toThrow(
      /not the size of a sealed stream/,
    );
    expect(() => plaintextSize(10)).toThrow(RangeError);
  });
});
