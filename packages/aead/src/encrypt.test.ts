import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encrypt } from './index.ts';
import { ALL_ENGINES, ENGINE_LABELS } from './testing/engines.node.ts';
import { fixedRandom, pattern, seal } from './testing/helpers.ts';
import './index.node.ts';

const key = pattern(32, 7);
const salt = pattern(32, 1);
const prefix = pattern(7, 2);

describe('encrypt (one-shot)', () => {
  it.each(ENGINE_LABELS)(
    'engine %s: the same bytes as encryptStream at every segment boundary and in-flight count',
    async (label) => {
      const engine = ALL_ENGINES[label as keyof typeof ALL_ENGINES];
      const seg = 64;
      for (const n of [0, 1, seg - 1, seg, seg + 1, 2 * seg, 5 * seg + 7]) {
        for (const inFlight of [1, 2, 4]) {
          const plaintext = pattern(n, n);
          const options = fixedRandom(
            { segmentSize: seg, inFlight, engine, associatedData: pattern(5, 3) },
            salt,
            prefix,
          );
          const streamed = await seal(key, n === 0 ? [] : [plaintext], options);
          expect(await encrypt(key, plaintext, options), `size ${n}, inFlight ${inFlight}`).toEqual(
            streamed,
          );
        }
      }
    },
  );

  it('matches encryptStream on random sizes and segment sizes (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 600 }),
        fc.integer({ min: 16, max: 80 }),
        async (plaintext, segmentSize) => {
          const options = fixedRandom({ segmentSize }, salt, prefix);
          const streamed = await seal(key, plaintext.length === 0 ? [] : [plaintext], options);
          expect(await encrypt(key, plaintext, options)).toEqual(streamed);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('leaves the caller key and plaintext as they were', async () => {
    const k = pattern(32, 9);
    const p = pattern(100, 4);
    await encrypt(k, p, { segmentSize: 16 });
    expect(k).toEqual(pattern(32, 9));
    expect(p).toEqual(pattern(100, 4));
  });
});
