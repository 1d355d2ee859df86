import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CEILING_SEGMENT, openSegments, sealSegments, sealSegmentsKeep } from './nodeGcmCeiling.ts';

describe('node:crypto ceiling', () => {
  const key = randomBytes(32);
  const input = new Uint8Array(randomBytes(2 * CEILING_SEGMENT + 123));

  it('seals 1 MiB segments with counter nonces, as a one-shot AES-256-GCM would', () => {
    const sealed = sealSegmentsKeep(input, key);
    expect(sealed.ciphertext.map((c) => c.byteLength)).toEqual([
      CEILING_SEGMENT,
      CEILING_SEGMENT,
      123,
    ]);
    const iv = Buffer.alloc(12);
    iv[11] = 1;
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const second = Buffer.concat([
      cipher.update(input.subarray(CEILING_SEGMENT, 2 * CEILING_SEGMENT)),
      cipher.final(),
    ]);
    expect(sealed.ciphertext[1]?.equals(second)).toBe(true);
    expect(sealed.tags[1]?.equals(cipher.getAuthTag())).toBe(true);
    expect(sealSegments(input, key)).toBe(input.byteLength);
  });

  it('opens what it sealed and fails on a flipped bit', () => {
    const sealed = sealSegmentsKeep(input, key);
    expect(openSegments(sealed, key)).toBe(input.byteLength);
    const bad = sealed.ciphertext.map((c) => Buffer.from(c));
    const last = bad[2] as Buffer;
    last[0] = (last[0] as number) ^ 1;
    expect(() => openSegments({ ...sealed, ciphertext: bad }, key)).toThrow(/authenticate/);
  });

  it('does the same work fed in 64 KiB updates (the reference without 1 MiB outputs)', () => {
    const sealed = sealSegmentsKeep(input, key);
    expect(sealSegments(input, key, CEILING_SEGMENT, 65536)).toBe(input.byteLength);
    expect(openSegments(sealed, key, 65536)).toBe(input.byteLength);
    const bad = sealed.ciphertext.map((c) => Buffer.from(c));
    const first = bad[0] as Buffer;
    first[70000] = (first[70000] as number) ^ 1;
    expect(() => openSegments({ ...sealed, ciphertext: bad }, key, 65536)).toThrow(/authenticate/);
  });
});
