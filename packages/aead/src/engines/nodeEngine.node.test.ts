import { randomBytes } from 'node:crypto';
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

  it('shares opening the same way, and a worker never returns plaintext of a forged segment', async () => {
    const key = crypto.getRandomValues(new Uint8Array(32));
    const hybrid = await createNodeEngine({ workers: 1, offloadBytes: 0 }).createSegmentCipher(
      key,
      { inFlight: 8 },
    );
    const here = await createNodeEngine({ workers: 0 }).createSegmentCipher(key);
    const plaintexts = Array.from(
      { length: 12 },
      (_, i) => new Uint8Array(randomBytes(70_000 + i)),
    );
    const nonces = plaintexts.map((_, i) => new Uint8Array(12).fill(i + 1));
    const sealed = plaintexts.map(
      (p, i) => here.seal(nonces[i] as Uint8Array, [p]) as Uint8Array[],
    );
    // Segment 5 is forged: one flipped bit of its ciphertext.
    const forged = concat(sealed[5] as Uint8Array[]);
    forged[100] = (forged[100] as number) ^ 1;
    sealed[5] = [forged.subarray(0, 4000), forged.subarray(4000)];
    const jobs = sealed.map((c, i) => hybrid.open(nonces[i] as Uint8Array, c));
    const offloaded = jobs.filter((j) => j instanceof Promise).length;
    expect(offloaded).toBeGreaterThanOrEqual(1);
    expect(offloaded).toBeLessThan(plaintexts.length);
    const got = await Promise.all(jobs);
    for (let i = 0; i < plaintexts.length; i++) {
      if (i === 5) expect(got[i]).toBeNull();
      else expect(concat(got[i] as Uint8Array[]).equals(plaintexts[i] as Uint8Array)).toBe(true);
    }
    // The forged segment, alone, on the worker (the pool is idle again): still null.
    const alone = hybrid.open(nonces[5] as Uint8Array, sealed[5] as Uint8Array[]);
    expect(alone).toBeInstanceOf(Promise);
    expect(await alone).toBeNull();
  });

  it('refuses bad options', () => {
    expect(() => createNodeEngine({ workers: -1 })).toThrow(RangeError);
    expect(() => createNodeEngine({ queuePerWorker: 0 })).toThrow(/queuePerWorker/);
    expect(() => createNodeEngine({ offloadBytes: 1.5 })).toThrow(/offloadBytes/);
  });
});
