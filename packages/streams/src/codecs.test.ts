import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64, decodeBase64Url, encodeBase64, encodeBase64Url } from './base64.ts';
import { decodeHex, encodeHex } from './hex.ts';

describe('base64, base64url and hex codecs', () => {
  it('match Buffer on random bytes and round-trip (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200, size: 'max' }), (bytes) => {
        const b = Buffer.from(bytes);
        expect(encodeBase64(bytes)).toBe(b.toString('base64'));
        expect(encodeBase64Url(bytes)).toBe(b.toString('base64url'));
        expect(encodeHex(bytes)).toBe(b.toString('hex'));
        expect(decodeBase64(encodeBase64(bytes))).toEqual(bytes);
        expect(decodeBase64Url(encodeBase64Url(bytes))).toEqual(bytes);
        expect(decodeHex(encodeHex(bytes).toUpperCase())).toEqual(bytes);
      }),
    );
  });

  it('match RFC 4648 §10 test vectors', () => {
    const v = ['', 'Zg==', 'Zm8=', 'Zm9v', 'Zm9vYg==', 'Zm9vYmE=', 'Zm9vYmFy'];
    for (const [i, enc] of v.entries()) {
      expect(encodeBase64(new TextEncoder().encode('foobar'.slice(0, i)))).toBe(enc);
    }
  });

  it('reject non-canonical or malformed input with SyntaxError, naming the position only', () => {
    expect(() => decodeBase64('Zm9')).toThrow(SyntaxError);
    expect(() => decodeBase64('Zh==')).toThrow(/non-canonical/);
    expect(() => decodeBase64('Zm9v\n')).toThrow(SyntaxError);
    expect(() => decodeBase64('Zm-v')).toThrow('decodeBase64: invalid character at index 2');
    expect(() => decodeBase64Url('Zm9v+')).toThrow(SyntaxError);
    expect(() => decodeBase64Url('Zg==')).toThrow(SyntaxError);
    expect(() => decodeHex('abc')).toThrow(SyntaxError);
    expect(() => decodeHex('zz')).toThrow('decodeHex: invalid character at index 0');
    expect(() => encodeHex('x' as never)).toThrow(TypeError);
  });
});
