import { describe, expect, it } from 'vitest';
import { createNodeEngine } from './nodeEngine.node.ts';

const concat = (pieces: Uint8Array[]) => Buffer.concat(pieces);

describe('createNodeEngine', () => {
  it('shares sealing between a busy worker and the calling thread, with identical bytes', async () => {
    const key = crypto.getRandomValues(new Uint8Array(32));
    const hybrid = await createNodeEngine({ workers: 1, offloadBytes: 0 }).createSegmentCipher(
      key,
      {
        inFlight: 8,
      },
    );
    const here = await createNodeEngine({ workers: 0 }).createSegmentCipher(key);
    const segments = Array.from({ length: 12 }, (_, i) =>
      crypto.getRandomValues(new Uint8Array(4096 + i)),
    );
    const nonces = segments.map((_, i) => new Uint8Array(12).fill(i + 1));
    const jobs = segments.map((s, i) => hybrid.seal(nonces[i] as Uint8Array, [s]));
    const offloaded = jobs.filter((j) => j instanceof Promise).length;
    // The first goes to the idle worker; while it is busy the calling thread seals the next ones.
    expect(offloaded).toBeGreaterThanOrEqual(1);
    expect(offloaded).toBeLessThan(segments.length);
    const got = await Promise.all(jobs);
    for (let i = 0; i < segments.length; i++) {
      const want = here.seal(nonces[i] as Uint8Array, [segments[i] as Uint8Array]) as Uint8Array[];
      expect(concat(got[i] as Uint8Array[]).equals(concat(want))).toBe(true);
    }
  });

  it('refuses bad options', () => {
    expect(() => createNodeEngine({ workers: -1 })).toThrow(RangeError);
    expect(() => createNodeEngine({ queuePerWorker: 0 })).toThrow(/queuePerWorker/);
    expect(() => createNodeEngine({ offloadBytes: 1.5 })).toThrow(/offloadBytes/);
  });
});
