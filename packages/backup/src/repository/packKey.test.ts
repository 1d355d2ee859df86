import { describe, expect, it } from 'vitest';
import { packIdOf, packKey } from './packKey.ts';

describe('pack keys', () => {
  it('fan packs out by the first two hex digits, and read the id back', () => {
    const id = `ab${'0'.repeat(30)}`;
    expect(packKey('c', id)).toBe(`c/packs/ab/${id}`);
    expect(packIdOf('c', packKey('c', id))).toBe(id);
    expect(packIdOf('c', `c/packs/cd/${id}`)).toBeUndefined();
    expect(packIdOf('other', packKey('c', id))).toBeUndefined();
    expect(packIdOf('c', `c/packs/ab/${id}.tmp`)).toBeUndefined();
    expect(() => packKey('c', 'AB')).toThrow(TypeError);
  });
});
