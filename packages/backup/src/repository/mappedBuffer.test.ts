import { describe, expect, it } from 'vitest';
import { isMapped, mappedBuffer } from './mappedBuffer.ts';

describe('mappedBuffer', () => {
  it('maps 64 KiB or more as a resizable buffer of its own size, and leaves smaller ones plain', () => {
    // Every runtime this package runs in has resizable ArrayBuffers (ES2024); without them the
    // buffers would all be plain and this test says so by failing here.
    expect(typeof (ArrayBuffer.prototype as { resize?: unknown }).resize).toBe('function');
    const big = new Uint32Array(mappedBuffer(64 * 1024));
    expect(big.length).toBe(16 * 1024);
    expect(isMapped(big)).toBe(true);
    expect((big.buffer as { maxByteLength?: number }).maxByteLength).toBe(64 * 1024);
    expect(big.every((x) => x === 0)).toBe(true);
    big[big.length - 1] = 7;
    expect(big.subarray(-1)[0]).toBe(7);
    const small = new Uint8Array(mappedBuffer(64 * 1024 - 1));
    expect(isMapped(small)).toBe(false);
    expect(small.length).toBe(64 * 1024 - 1);
    // A copy of a mapped buffer's bytes is plain: what is handed to a Web API.
    expect(isMapped(new Uint8Array(big.buffer).slice(0, 8))).toBe(false);
  });
});
