import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { collect } from './collect.ts';
import { digestTap, type Hasher } from './digestTap.ts';
import { fromBytes } from './fromBytes.ts';
import { encodeHex } from './hex.ts';

describe('digestTap', () => {
  const input = new Uint8Array(100_000).map((_, i) => i * 7);
  const expected = createHash('sha256').update(input).digest('hex');

  it('hashes what passes through with the default SHA-256 and passes it on', async () => {
    const tap = digestTap();
    const out = await collect(fromBytes(input, 999).pipeThrough(tap));
    expect(out).toEqual(input);
    expect(encodeHex(await tap.digest)).toBe(expected);
  });

  it('takes a pluggable hasher (node:crypto), possibly async', async () => {
    const h = createHash('sha256');
    const hasher: Hasher = {
      update: (b) => void h.update(b),
      digest: async () => new Uint8Array(h.digest()),
    };
    const tap = digestTap(hasher);
    await collect(fromBytes(input, 4096).pipeThrough(tap));
    expect(encodeHex(await tap.digest)).toBe(expected);
  });

  it('rejects the digest when the stream is cancelled or errors', async () => {
    const tap = digestTap();
    await tap.readable.cancel(new Error('stop'));
    await expect(tap.digest).rejects.toThrow('stop');
    const failing = digestTap({
      update: () => {
        throw new Error('hash failed');
      },
      digest: () => new Uint8Array(0),
    });
    await expect(collect(fromBytes(input).pipeThrough(failing))).rejects.toThrow('hash failed');
    await expect(failing.digest).rejects.toThrow('hash failed');
  });

  it('checks its argument', () => {
    expect(() => digestTap({} as Hasher)).toThrow(TypeError);
  });
});
