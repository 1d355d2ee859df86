import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { gcmOpen, gcmSeal, gcmSealKeep } from './gcmCeiling.ts';

describe('the AES-256-GCM ceiling', () => {
  const key = randomBytes(32);
  const input = new Uint8Array(randomBytes((2 << 20) + 123));

  it('seals 1 MiB segments with counter nonces, as a one-shot AES-256-GCM would', () => {
    const sealed = gcmSealKeep(input, key);
    expect(sealed.segments.map((s) => s.length)).toEqual([1 << 20, 1 << 20, 123]);
    const iv = Buffer.alloc(12);
    iv[11] = 1;
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const second = cipher.update(input.subarray(1 << 20, 2 << 20));
    cipher.final();
    expect(sealed.segments[1]?.equals(second)).toBe(true);
    expect(sealed.tags[1]?.equals(cipher.getAuthTag())).toBe(true);
    expect(gcmSeal(input, key)).toBe(input.length);
  });

  it('opens what it sealed, fed 64 KiB at a time, and fails on a flipped bit', () => {
    const sealed = gcmSealKeep(input, key);
    expect(gcmOpen(sealed, key)).toBe(input.length);
    const bad = sealed.segments.map((s) => Buffer.from(s));
    const first = bad[0] as Buffer;
    first[70_000] = (first[70_000] as number) ^ 1;
    expect(() => gcmOpen({ ...sealed, segments: bad }, key)).toThrow(/authenticate/);
  });
});
