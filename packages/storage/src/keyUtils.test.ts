import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertRange } from './assertRange.ts';
import { compareKeys } from './compareKeys.ts';
import { joinKey } from './joinKey.ts';

describe('joinKey', () => {
  it('joins with one slash, ignoring slashes around the prefix', () => {
    expect(joinKey('backups/prod', 'LATEST')).toBe('backups/prod/LATEST');
    expect(joinKey('/backups/prod/', 'a/b')).toBe('backups/prod/a/b');
    expect(joinKey('', 'a')).toBe('a');
    expect(joinKey('/', 'a')).toBe('a');
    expect(joinKey('p', '')).toBe('p/');
  });
});

describe('compareKeys', () => {
  it('orders by code point (= UTF-8 bytes), unlike UTF-16 comparison', () => {
    const astral = '\u{1F600}'; // UTF-16 D83D DE00, UTF-8 F0…
    const bmpHigh = '\uFF21'; // UTF-8 EF BC A1 < F0
    expect(compareKeys(bmpHigh, astral)).toBeLessThan(0);
    expect(bmpHigh < astral).toBe(false); // what plain string comparison would say
  });
  it('agrees with UTF-8 byte order on random strings', () => {
    const enc = new TextEncoder();
    const byBytes = (a: string, b: string) => {
      const x = enc.encode(a);
      const y = enc.encode(b);
      for (let i = 0; i < Math.min(x.length, y.length); i++)
        if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
      return x.length - y.length;
    };
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        expect(Math.sign(compareKeys(a, b))).toBe(Math.sign(byBytes(a, b)));
      }),
    );
  });
});

describe('assertRange', () => {
  it('accepts undefined and valid ranges', () => {
    for (const r of [undefined, { start: 0 }, { start: 5, end: 5 }, { start: 0, end: 2 ** 40 }])
      expect(() => assertRange(r)).not.toThrow();
  });
  it('rejects negative, fractional and inverted bounds with a precise message', () => {
    expect(() => assertRange({ start: -1 })).toThrow('start must be an integer >= 0: received -1');
    expect(() => assertRange({ start: 0.5 })).toThrow(RangeError);
    expect(() => assertRange({ start: 4, end: 3 })).toThrow(
      'end must be an integer >= start (4): received 3',
    );
    expect(() => assertRange({ start: 0, end: Number.NaN })).toThrow(RangeError);
  });
});
