import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertKey, assertListPrefix } from './assertKey.ts';

describe('assertKey', () => {
  it('accepts relative /-separated keys', () => {
    for (const k of [
      'a',
      'LATEST',
      'a/b/c.sst',
      '2026/11/28-010203.00/ENCRYPTION_INFO-2',
      '.hidden',
      'a/..b/c..',
      'naïve 名字',
    ]) {
      expect(() => assertKey(k)).not.toThrow();
    }
  });
  it.each([
    ['', /must not be empty/],
    ['/a', /no leading "\/"/],
    ['a//b', /empty path segment/],
    ['a/', /empty path segment/],
    ['..', /"\.\." segments/],
    ['a/../b', /"\.\." segments/],
    ['./a', /"\." segments/],
    ['a\\b', /control characters or "\\"/],
    ['a\u0000b', /control characters/],
    ['a\nb', /control characters/],
  ])('rejects %j', (key, message) => {
    expect(() => assertKey(key)).toThrow(TypeError);
    expect(() => assertKey(key)).toThrow(message);
  });
  it('rejects non-strings', () => {
    expect(() => assertKey(42)).toThrow(/expected a string, received number/);
    expect(() => assertKey(undefined)).toThrow(TypeError);
  });
  it('never accepts a key that escapes its root', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', '..', '.', '', 'b'), { minLength: 1, maxLength: 6 }),
        (segments) => {
          const key = segments.join('/');
          let ok = true;
          try {
            assertKey(key);
          } catch {
            ok = false;
          }
          if (ok) expect(segments.every((s) => s === 'a' || s === 'b')).toBe(true);
        },
      ),
    );
  });
});

describe('assertListPrefix', () => {
  it('accepts empty, directory and partial prefixes', () => {
    for (const p of ['', 'a/', 'a/b', 'a/b/', '2026-', 'a/.', 'a/.hid'])
      expect(() => assertListPrefix(p)).not.toThrow();
  });
  it('rejects absolute, empty-segment and .. prefixes', () => {
    for (const p of ['/', '/a', 'a//', 'a//b', '../', 'a/../b', 'a/..', 7])
      expect(() => assertListPrefix(p)).toThrow(TypeError);
  });
});
