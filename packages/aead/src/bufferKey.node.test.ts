import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createNodeEngine, defaultWorkerCount } from './index.node.ts';
import { decrypt, encrypt } from './index.ts';

describe('keys and associated data given as Node Buffers', () => {
  for (const [label, engine] of [
    ['calling thread', createNodeEngine({ workers: 0 })],
    ['worker threads', createNodeEngine({ workers: Math.max(1, defaultWorkerCount()) })],
  ] as const) {
    it(`never changes the caller's bytes (${label})`, async () => {
      // randomBytes(32) is a view into Node's shared 8 KiB pool: a "copy" made with Buffer#slice
      // would still alias it.
      const key = randomBytes(32);
      const ad = Buffer.from('backup/object');
      const keyBefore = Buffer.from(key);
      const adBefore = Buffer.from(ad);
      const plaintext = new Uint8Array(3 * 300_000).fill(7);
      const sealed = await encrypt(key, plaintext, {
        associatedData: ad,
        engine,
        segmentSize: 300_000,
        inFlight: 4,
      });
      expect(Buffer.compare(key, keyBefore)).toBe(0);
      expect(Buffer.compare(ad, adBefore)).toBe(0);
      expect(await decrypt(key, sealed, { associatedData: ad, engine })).toEqual(plaintext);
    });
  }
});
