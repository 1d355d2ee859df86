import { describe, expect, it } from 'vitest';
import { IdTable } from './IdTable.ts';

const idOf = (n: number) => {
  const id = new Uint8Array(32);
  new DataView(id.buffer).setUint32(28, n);
  // Ids share their first four bytes (the hash) in runs of 16: probing must tell them apart.
  new DataView(id.buffer).setUint32(0, n >>> 4);
  return id;
};

describe('IdTable', () => {
  it('numbers 50,000 ids in order and finds each through many growths and collisions', () => {
    const t = new IdTable();
    for (let n = 0; n < 50_000; n++) expect(t.add(idOf(n))).toBe(n);
    expect(t.size).toBe(50_000);
    for (const n of [0, 1, 15, 16, 4095, 49_999]) {
      expect(t.find(idOf(n))).toBe(n);
      expect(t.id(n)).toEqual(idOf(n));
      const out = new Uint8Array(40);
      t.copyId(n, out, 5);
      expect(out.subarray(5, 37)).toEqual(idOf(n));
      expect([...out.subarray(0, 5), ...out.subarray(37)].every((b) => b === 0)).toBe(true);
    }
    expect(t.find(idOf(50_000))).toBe(-1);
    expect(t.find(new Uint8Array(31))).toBe(-1);
    expect(() => t.add(new Uint8Array(31))).toThrow(RangeError);
  });

  it('keeps a copy of each id, not the caller’s buffer', () => {
    const t = new IdTable();
    const id = idOf(7);
    t.add(id);
    id.fill(0);
    expect(t.find(idOf(7))).toBe(0);
  });
});
