import { encodeHex } from '@sealstream/streams';
import { describe, expect, it } from 'vitest';
import { BlobIndex, blobKey } from './BlobIndex.ts';

describe('BlobIndex', () => {
  it('keys blobs by their id in lowercase hex, as encodeHex spells it', () => {
    for (let i = 0; i < 50; i++) {
      const id = crypto.getRandomValues(new Uint8Array(32));
      expect(blobKey(id)).toBe(encodeHex(id));
    }
    const index = new BlobIndex();
    const id = new Uint8Array(32).fill(0xab);
    index.addPack('p', 'data', [{ id, offset: 5, sealedLength: 10, plainLength: 3 }]);
    expect(index.get(id.slice())).toMatchObject({ pack: 'p', offset: 5 });
    expect([...index.entries()][0]?.[0]).toBe('ab'.repeat(32));
    expect(index.packEnd('p')).toBe(15);
  });

  it('finds every one of many blobs across packs, keeps the first location of a repeat, and nothing else', () => {
    const index = new BlobIndex();
    const ids = Array.from({ length: 20_000 }, () => crypto.getRandomValues(new Uint8Array(32)));
    for (let p = 0; p < 20; p++) {
      const blobs = ids.slice(p * 1000, (p + 1) * 1000).map((id, i) => ({
        id,
        offset: i * 100,
        sealedLength: 100,
        plainLength: p + i,
      }));
      index.addPack(`pack-${p}`, p % 2 ? 'tree' : 'data', blobs);
    }
    // A repeat in a later pack: the first location stays.
    index.addPack('pack-again', 'data', [
      { id: ids[5] as Uint8Array, offset: 0, sealedLength: 7, plainLength: 1 },
    ]);
    expect(index.size).toBe(20_000);
    for (const [n, id] of ids.entries()) {
      const p = Math.floor(n / 1000);
      const i = n % 1000;
      expect(index.get(id.slice())).toEqual({
        pack: `pack-${p}`,
        kind: p % 2 ? 'tree' : 'data',
        offset: i * 100,
        sealedLength: 100,
        plainLength: p + i,
      });
    }
    for (let k = 0; k < 2000; k++)
      expect(index.has(crypto.getRandomValues(new Uint8Array(32)))).toBe(false);
    expect(index.has(new Uint8Array(31))).toBe(false);
    const listed = [...index.entries()];
    expect(listed.length).toBe(20_000);
    expect(listed.map(([hex]) => hex)).toEqual(ids.map((id) => encodeHex(id)));
    expect(index.packEnd('pack-again')).toBe(7);
  });

  it('refuses a pack index entry whose lengths do not fit', () => {
    const index = new BlobIndex();
    expect(() =>
      index.addPack('p', 'data', [
        { id: new Uint8Array(32), offset: 0, sealedLength: 2 ** 32, plainLength: 1 },
      ]),
    ).toThrow(expect.objectContaining({ code: 'ERR_BACKUP_CORRUPT' }));
  });
});
