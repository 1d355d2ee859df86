import * as api from '@sealstream/aead';
import { describe, expect, it } from 'vitest';

describe('smoke', () => {
  it('round trips with each engine', async () => {
    const key = crypto.getRandomValues(new Uint8Array(32));
    for (const engine of ['webcrypto', 'noble', 'node'] as const) {
      for (const n of [0, 1, 15, 16, 17, 100]) {
        const pt = crypto.getRandomValues(new Uint8Array(n));
        const ct = await api.encrypt(key, pt, { engine, segmentSize: 16 });
        expect(ct.length).toBe(api.ciphertextSize(n, 16));
        expect(await api.decrypt(key, ct, { engine })).toEqual(pt);
      }
    }
    expect(api.defaultEngine().name).toBe('node');
  });
});
