import { collect } from '@sealstream/streams';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AeadEngine, EngineName } from './AeadEngine.ts';
import { AeadError, decryptRange, encrypt, HEADER_SIZE } from './index.ts';
import { workerEngine } from './testing/engines.node.ts';
import { flip, pattern } from './testing/helpers.ts';
import './index.node.ts';

const key = pattern(32, 11);
const TAG = 16;

function reader(sealed: Uint8Array) {
  const reads: [number, number][] = [];
  return {
    reads,
    read: async (offset: number, length: number) => {
      reads.push([offset, length]);
      return sealed.slice(offset, offset + length);
    },
  };
}

describe('decryptRange', () => {
  it('returns exactly plaintext[start, end) and reads only the header and the covering segments (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 600 }),
        fc.integer({ min: 16, max: 64 }),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom<AeadEngine | EngineName>('webcrypto', 'node', workerEngine),
        async (size, segmentSize, a, b, inFlight, engine) => {
          const plaintext = pattern(size, size);
          const sealed = await encrypt(key, plaintext, { segmentSize, engine: 'node' });
          const start = a % (size + 1);
          const end = start + (b % (size - start + 1));
          const r = reader(sealed);
          const out = await collect(
            decryptRange(key, {
              ciphertextSize: sealed.length,
              start,
              end,
              read: r.read,
              inFlight,
              engine,
            }),
          );
          expect(out).toEqual(plaintext.subarray(start, end));
          const expected: [number, number][] = [[0, HEADER_SIZE]];
          if (start < end) {
            for (
              let i = Math.floor(start / segmentSize);
              i <= Math.floor((end - 1) / segmentSize);
              i++
            ) {
              const offset = HEADER_SIZE + i * (segmentSize + TAG);
              expected.push([offset, Math.min(segmentSize + TAG, sealed.length - offset)]);
            }
          }
          expect(r.reads).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('clamps end to the plaintext size', async () => {
    const sealed = await encrypt(key, pattern(40, 1), { segmentSize: 16 });
    const out = await collect(
      decryptRange(key, {
        ciphertextSize: sealed.length,
        start: 30,
        end: 1e6,
        read: reader(sealed).read,
      }),
    );
    expect(out).toEqual(pattern(40, 1).subarray(30));
  });

  it('reports a wrong key at the header, tampering in a covering segment, and short reads', async () => {
    const plaintext = pattern(100, 2);
    const sealed = await encrypt(key, plaintext, { segmentSize: 16 });
    const range = (k: Uint8Array, bytes: Uint8Array, ciphertextSize = bytes.length) =>
      collect(decryptRange(k, { ciphertextSize, start: 20, end: 40, read: reader(bytes).read }));
    await expect(range(pattern(32, 99), sealed)).rejects.toMatchObject({
      code: 'ERR_AEAD_KEY_MISMATCH',
    });
    const bad = sealed.slice();
    flip(bad, HEADER_SIZE + (segmentsOf16(1) + 3));
    await expect(range(key, bad)).rejects.toMatchObject({ code: 'ERR_AEAD_TAMPERED' });
    bad.set(sealed);
    flip(bad, HEADER_SIZE + 3 * 32 + 1); // a segment outside the range: not read, so not noticed
    expect(await range(key, bad)).toEqual(plaintext.subarray(20, 40));
    await expect(range(key, sealed.subarray(0, 150), sealed.length)).rejects.toMatchObject({
      code: 'ERR_AEAD_TRUNCATED',
    });
    // A stated size one byte short moves the end into the last segment, which then fails.
    await expect(
      collect(
        decryptRange(key, {
          ciphertextSize: sealed.length - 1,
          start: 90,
          end: 99,
          read: reader(sealed).read,
        }),
      ),
    ).rejects.toSatisfy((e) => e instanceof AeadError && e.code === 'ERR_AEAD_TAMPERED');
    const truncatedAtBoundary = sealed.subarray(0, HEADER_SIZE + 2 * 32);
    await expect(
      collect(
        decryptRange(key, {
          ciphertextSize: truncatedAtBoundary.length,
          start: 20,
          end: 32,
          read: reader(truncatedAtBoundary).read,
        }),
      ),
    ).rejects.toMatchObject({ code: 'ERR_AEAD_TRUNCATED' });
  });

  it('checks its arguments', () => {
    const read = async () => new Uint8Array(0);
    expect(() => decryptRange(key, { ciphertextSize: 100, start: -1, end: 5, read })).toThrow(
      RangeError,
    );
    expect(() => decryptRange(key, { ciphertextSize: 100, start: 5, end: 4, read })).toThrow(
      new RangeError('decryptRange: end must be an integer >= start (5), received 4'),
    );
    expect(() => decryptRange(key, { ciphertextSize: 1.5, start: 0, end: 4, read })).toThrow(
      RangeError,
    );
    expect(() =>
      decryptRange(key, { ciphertextSize: 100, start: 0, end: 4, read: 'x' as never }),
    ).toThrow(TypeError);
  });
});

function segmentsOf16(i: number): number {
  return i * (16 + TAG);
}
