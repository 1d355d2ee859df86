import { concatBytes, encodeHex } from '@sealstream/streams';
import { describe, expect, it } from 'vitest';
import { blobIdHasher } from './blobIdHasher.ts';
import { deriveChainKeys } from './chainKeys.ts';
import { PACK_BLOB_OVERHEAD, packCipher } from './packCipher.ts';
import {
  decodePackIndex,
  decodePackIndexColumns,
  encodePackIndex,
  openPackIndex,
  PACK_TRAILER_BYTES,
  type PackIndex,
  type PackIndexColumns,
  packIndexRange,
  sealPackIndex,
} from './packIndex.ts';

const id = (n: number) => new Uint8Array(32).fill(n);
const small: PackIndex = {
  kind: 'data',
  blobs: [
    { id: id(1), offset: 0, sealedLength: 37, plainLength: 20 },
    { id: id(2), offset: 37, sealedLength: 48, plainLength: 4_000_000 },
  ],
};

/** A whole pack of data blobs sealed under its pack key, ending with its sealed index. */
async function buildPack(packId: string, texts: string[]) {
  const keys = await deriveChainKeys(crypto.getRandomValues(new Uint8Array(32)));
  const idOf = blobIdHasher(keys.chunkId);
  const cipher = await packCipher(keys, 'data', packId);
  const blobs = [];
  const sealed: Uint8Array[] = [];
  let offset = 0;
  for (const t of texts) {
    const plain = new TextEncoder().encode(t);
    const blobId = await idOf(plain);
    const s = new Uint8Array(offset + plain.length + PACK_BLOB_OVERHEAD);
    await cipher.sealInto(s, offset, encodeHex(blobId), plain);
    blobs.push({ id: blobId, offset, sealedLength: s.length - offset, plainLength: plain.length });
    sealed.push(s.subarray(offset));
    offset = s.length;
  }
  const tail = await sealPackIndex(keys.meta, keys.chainId, packId, { kind: 'data', blobs });
  return { keys, pack: concatBytes(...sealed, tail), blobsEnd: offset };
}

async function readIndex(
  keys: { meta: Uint8Array; chainId: string },
  packId: string,
  pack: Uint8Array,
) {
  const range = packIndexRange(pack.subarray(pack.length - PACK_TRAILER_BYTES), pack.length);
  return openPackIndex(keys.meta, keys.chainId, packId, pack.subarray(range.start, range.end), {
    blobsEnd: range.start,
  });
}

describe('pack index', () => {
  it('encodes the layout of the spec and decodes it back', () => {
    const bytes = encodePackIndex(small);
    expect(encodeHex(bytes.subarray(0, 6))).toBe('010100000002');
    expect(encodeHex(bytes.subarray(38, 50))).toBe(`00000000${'00000025'}${'00000014'}`);
    expect(bytes.length).toBe(6 + 2 * 44);
    expect(decodePackIndex(bytes, { blobsEnd: 85 })).toEqual(small);
  });

  it.each([
    ['a gap', { ...small, blobs: [small.blobs[0], { ...small.blobs[1], offset: 38 }] }],
    ['an overlap', { ...small, blobs: [small.blobs[0], { ...small.blobs[1], offset: 30 }] }],
    ['a repeated id', { ...small, blobs: [small.blobs[0], { ...small.blobs[1], id: id(1) }] }],
    ['no blobs', { ...small, blobs: [] }],
    ['an empty blob', { ...small, blobs: [{ ...small.blobs[0], sealedLength: 0 }] }],
    ['a blob of a tag alone', { ...small, blobs: [{ ...small.blobs[0], sealedLength: 16 }] }],
    ['a short id', { ...small, blobs: [{ ...small.blobs[0], id: new Uint8Array(31) }] }],
  ])('refuses %s when writing', (_name, index) => {
    expect(() => encodePackIndex(index as PackIndex)).toThrow(TypeError);
  });

  it('encodes and decodes columns as the blobs they list, and refuses the same faults in them', () => {
    const columns = (over: Partial<PackIndexColumns> = {}): PackIndexColumns => ({
      kind: 'data',
      ids: concatBytes(id(1), id(2)),
      offsets: Uint32Array.of(0, 37),
      sealedLengths: Uint32Array.of(37, 48),
      plainLengths: Uint32Array.of(20, 4_000_000),
      ...over,
    });
    expect(encodePackIndex(columns())).toEqual(encodePackIndex(small));
    expect(decodePackIndexColumns(encodePackIndex(small), { blobsEnd: 85 })).toEqual(columns());
    expect(() => decodePackIndexColumns(encodePackIndex(small), { blobsEnd: 86 })).toThrow(
      /its blobs end at 85/,
    );
    for (const bad of [
      columns({ offsets: Uint32Array.of(0, 38) }),
      columns({ ids: concatBytes(id(1), id(1)) }),
      columns({ ids: id(1) }),
      columns({ sealedLengths: Uint32Array.of(37) }),
      columns({ plainLengths: [20, 4] as unknown as Uint32Array }),
      columns({
        ids: new Uint8Array(0),
        offsets: new Uint32Array(0),
        sealedLengths: new Uint32Array(0),
        plainLengths: new Uint32Array(0),
      }),
      columns({ sealedLengths: Uint32Array.of(16, 48), offsets: Uint32Array.of(0, 16) }),
    ])
      expect(() => encodePackIndex(bad)).toThrow(TypeError);
  });

  it('tells apart ids that share their first bytes, and finds a repeat among them', () => {
    // Three ids equal but for their last byte, then a repeat of the second: only the repeat fails.
    const near = (last: number) => {
      const b = new Uint8Array(32).fill(7);
      b[31] = last;
      return b;
    };
    const blobs = (ids: Uint8Array[]) => ({
      kind: 'data' as const,
      blobs: ids.map((x, i) => ({ id: x, offset: 20 * i, sealedLength: 20, plainLength: 4 })),
    });
    const three = blobs([near(1), near(2), near(3)]);
    expect(decodePackIndex(encodePackIndex(three))).toEqual(three);
    expect(() => encodePackIndex(blobs([near(1), near(2), near(3), near(2)]))).toThrow(
      /blob 3: id repeats/,
    );
    expect(() => encodePackIndex(blobs([near(1), near(2), near(1)]))).toThrow(/blob 2: id repeats/);
  });

  it('refuses malformed bytes with typed errors', () => {
    const bytes = encodePackIndex(small);
    const edit = (f: (b: Uint8Array) => void) => {
      const b = bytes.slice();
      f(b);
      return b;
    };
    const code = (b: Uint8Array, end?: number) => {
      try {
        decodePackIndex(b, { file: 'p', ...(end === undefined ? {} : { blobsEnd: end }) });
      } catch (e) {
        return (e as { code: string }).code;
      }
      return 'accepted';
    };
    expect(code(edit((b) => (b[0] = 2)))).toBe('ERR_MANIFEST_UNSUPPORTED_VERSION');
    expect(code(edit((b) => (b[1] = 9)))).toBe('ERR_MANIFEST_INVALID');
    expect(code(edit((b) => (b[5] = 3)))).toBe('ERR_MANIFEST_INVALID');
    expect(code(bytes.subarray(0, bytes.length - 1))).toBe('ERR_MANIFEST_INVALID');
    expect(code(edit((b) => (b[6 + 44 + 35] = 0x26)))).toBe('ERR_MANIFEST_INVALID');
    expect(code(bytes, 86)).toBe('ERR_MANIFEST_INVALID');
    expect(code(bytes, 85)).toBe('accepted');
  });

  it('ends a pack whose blobs it locates and authenticates', async () => {
    const packId = 'cd'.repeat(16);
    const texts = ['alpha', 'bravo bravo', ''.padEnd(70_000, 'c')];
    const { keys, pack, blobsEnd } = await buildPack(packId, texts);
    const index = await readIndex(keys, packId, pack);
    const cipher = await packCipher(keys, 'data', packId);
    expect(index.kind).toBe('data');
    expect(index.blobs.at(-1)?.offset).toBeLessThan(blobsEnd);
    for (const [i, b] of index.blobs.entries()) {
      const sealed = pack.subarray(b.offset, b.offset + b.sealedLength);
      const plain = await cipher.open(b.offset, encodeHex(b.id), sealed);
      expect(new TextDecoder().decode(plain)).toBe(texts[i]);
      expect(b.plainLength).toBe(plain.length);
    }
  });

  it('refuses an index read as another pack, another chain, or with any byte of the pack tail changed', async () => {
    const packId = 'ef'.repeat(16);
    const { keys, pack } = await buildPack(packId, ['one', 'two']);
    await expect(readIndex(keys, '00'.repeat(16), pack)).rejects.toMatchObject({
      code: expect.stringMatching(/^ERR_AEAD_/),
    });
    const other = await deriveChainKeys(crypto.getRandomValues(new Uint8Array(32)));
    await expect(readIndex({ ...keys, chainId: other.chainId }, packId, pack)).rejects.toThrow();
    await expect(readIndex({ ...keys, meta: other.meta }, packId, pack)).rejects.toThrow();
    const range = packIndexRange(pack.subarray(pack.length - PACK_TRAILER_BYTES), pack.length);
    for (let i = range.start; i < pack.length; i += 7) {
      const bad = pack.slice();
      bad[i] = (bad[i] as number) ^ 0x01;
      await expect(readIndex(keys, packId, bad), `byte ${i}`).rejects.toMatchObject({
        code: expect.stringMatching(/^ERR_/),
      });
    }
  });
});
