import { encodeHex } from '@sealstream/streams';
import { describe, expect, it } from 'vitest';
import { randomBytes } from './testHook.ts';

describe('randomBytes', () => {
  it('hands out fresh bytes of the asked length, never the same piece twice', () => {
    const seen = new Set<string>();
    // Enough small requests to refill the pool many times, of sizes that do not divide it.
    for (let i = 0; i < 3000; i++) {
      const n = [7, 32, 39][i % 3] as number;
      const bytes = randomBytes(n);
      expect(bytes.length).toBe(n);
      expect(bytes.byteOffset).toBe(0); // a copy, not a view into the pool
      const hex = encodeHex(bytes);
      expect(seen.has(hex)).toBe(false);
      seen.add(hex);
    }
  });

  it('serves large requests directly', () => {
    const a = randomBytes(1000);
    expect(a.length).toBe(1000);
    expect(a.some((b) => b !== 0)).toBe(true);
  });
});
