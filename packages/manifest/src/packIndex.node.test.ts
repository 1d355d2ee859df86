/** The pack index and trailer encodings of docs/COLLECTION-FORMAT-V2.md §4, written again with Buffer from the text. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodePackIndex, PACK_MAGIC, packIndexRange } from './packIndex.ts';

function reference(kind: 'data' | 'tree', blobs: { id: Buffer; sealed: number; plain: number }[]) {
  const head = Buffer.alloc(6);
  head[0] = 1;
  head[1] = kind === 'data' ? 1 : 2;
  head.writeUInt32BE(blobs.length, 2);
  let offset = 0;
  const entries = blobs.map((b) => {
    const e = Buffer.alloc(44);
    b.id.copy(e, 0);
    e.writeUInt32BE(offset, 32);
    e.writeUInt32BE(b.sealed, 36);
    e.writeUInt32BE(b.plain, 40);
    offset += b.sealed;
    return e;
  });
  return Buffer.concat([head, ...entries]);
}

describe('pack index: a reference encoder from the spec', () => {
  it('agrees with the package on random indexes', () => {
    for (let n = 1; n < 40; n += 3) {
      const kind = n % 2 === 0 ? 'data' : 'tree';
      const blobs = Array.from({ length: n }, () => ({
        id: randomBytes(32),
        sealed: 100 + Math.floor(Math.random() * 1e6),
        plain: Math.floor(Math.random() * 1e6),
      }));
      let offset = 0;
      const index = {
        kind,
        blobs: blobs.map((b) => {
          const entry = {
            id: new Uint8Array(b.id),
            offset,
            sealedLength: b.sealed,
            plainLength: b.plain,
          };
          offset += b.sealed;
          return entry;
        }),
      } as const;
      expect(Buffer.from(encodePackIndex(index)).equals(reference(kind, blobs))).toBe(true);
    }
  });

  it('reads the trailer as uint32 length ‖ "\\x89SPACK\\r\\n"', () => {
    expect(Buffer.from(PACK_MAGIC).toString('latin1')).toBe('\x89SPACK\r\n');
    const trailer = Buffer.concat([Buffer.from([0, 0, 1, 0]), Buffer.from(PACK_MAGIC)]);
    expect(packIndexRange(trailer, 1000)).toEqual({ start: 1000 - 12 - 256, end: 1000 - 12 });
    expect(() => packIndexRange(trailer, 200)).toThrow(/does not fit/);
  });
});
