import { deriveChainKeys, PACK_BLOB_OVERHEAD, packCipher } from '@sealstream/manifest';
import { concatBytes, encodeHex } from '@sealstream/streams';
import { describe, expect, it } from 'vitest';
import { isMapped } from './mappedBuffer.ts';
import { type AssembledPack, PackAssembler, shuffle } from './PackAssembler.ts';

/** The blobs an assembled pack's index lists, one object each. */
function blobsOf({ index }: AssembledPack) {
  return Array.from(index.offsets, (offset, i) => ({
    id: index.ids.subarray(32 * i, 32 * i + 32),
    offset,
    sealedLength: index.sealedLengths[i] as number,
    plainLength: index.plainLengths[i] as number,
  }));
}

describe('PackAssembler', () => {
  it('shuffles more items than one getRandomValues call can serve (a pack of 100,000 tiny blobs)', () => {
    const items = Array.from({ length: 100_000 }, (_, i) => i);
    const out = shuffle(items);
    expect(out).toHaveLength(items.length);
    expect([...out].sort((a, b) => a - b)).toEqual(items);
    expect(out.slice(-100)).not.toEqual(items.slice(-100));
  });

  it('assembles a pack of 20,000 blobs with an index of them all, sealed piece by piece', async () => {
    const keys = await deriveChainKeys(crypto.getRandomValues(new Uint8Array(32)));
    const packer = new PackAssembler('data', keys);
    for (let i = 0; i < 20_000; i++) {
      const id = new Uint8Array(32);
      new DataView(id.buffer).setUint32(0, i);
      packer.add(id, new Uint8Array(8 + (i % 200)).fill(i & 0xff), 1);
    }
    const pack = await packer.assemble();
    const blobs = blobsOf(pack);
    expect(blobs).toHaveLength(20_000);
    // About 2.3 MB of blobs: three pieces of at most 1 MiB (sealed two at a time), then the index.
    const pieces: Uint8Array[] = [];
    for await (const piece of pack.readable) pieces.push(piece);
    expect(pieces.length).toBeGreaterThanOrEqual(4);
    expect(pieces.every((p) => p.length <= 1 << 20)).toBe(true);
    const bytes = concatBytes(...pieces);
    expect(bytes.length).toBe(pack.size);
    // Every blob sealed at its offset under the pack's key, in a shuffled order.
    const cipher = await packCipher(keys, 'data', pack.packId);
    for (const blob of blobs) {
      const n = new DataView(blob.id.buffer, blob.id.byteOffset).getUint32(0);
      expect(blob.sealedLength).toBe(8 + (n % 200) + PACK_BLOB_OVERHEAD);
      const sealed = bytes.subarray(blob.offset, blob.offset + blob.sealedLength);
      expect(await cipher.open(blob.offset, encodeHex(blob.id), sealed)).toEqual(
        new Uint8Array(8 + (n % 200)).fill(n & 0xff),
      );
    }
    expect(blobs.slice(0, 50).map((x) => x.id[3])).not.toEqual(
      Array.from({ length: 50 }, (_, k) => k),
    );
    expect(packer.count).toBe(0);
  });

  it('seals a blob that is alone in its piece from a copy of its slab, a buffer any engine takes', async () => {
    // Two blobs of 600 KiB: each in a slab of its own (a slab may be a mapped buffer, which Web IDL
    // refuses), each in a piece of its own, so each is handed to the engine alone.
    const keys = await deriveChainKeys(crypto.getRandomValues(new Uint8Array(32)));
    const packer = new PackAssembler('data', keys);
    const blob = (n: number) => new Uint8Array(600 * 1024).fill(n);
    packer.add(new Uint8Array(32).fill(1), blob(1), 1);
    packer.add(new Uint8Array(32).fill(2), blob(2), 1);
    const pack = await packer.assemble();
    const pieces: Uint8Array[] = [];
    for await (const piece of pack.readable) pieces.push(piece);
    expect(pieces).toHaveLength(3);
    expect(pieces.some(isMapped)).toBe(false);
    const bytes = concatBytes(...pieces);
    const cipher = await packCipher(keys, 'data', pack.packId);
    for (const b of blobsOf(pack)) {
      const sealed = bytes.subarray(b.offset, b.offset + b.sealedLength);
      const plain = await cipher.open(b.offset, encodeHex(b.id), sealed);
      expect(plain.length).toBe(600 * 1024);
      expect(plain.every((x) => x === b.id[0])).toBe(true);
    }
  });

  it('keeps blobs larger than a slab, many slabs, blobs given in pieces and adopted blobs, whole', async () => {
    const keys = await deriveChainKeys(crypto.getRandomValues(new Uint8Array(32)));
    const packer = new PackAssembler('data', keys);
    const sizes = [3 << 20, 700_000, 700_000, 5, 1 << 20, 9];
    const adopted: Uint8Array[] = [];
    sizes.forEach((size, k) => {
      const bytes = new Uint8Array(size).fill(k + 1);
      const id = new Uint8Array(32).fill(k + 1);
      // Adopted (kept as it is): the small blob added next goes into the open slab, not into it.
      if (k === 2 || k === 5) {
        adopted.push(bytes);
        packer.adopt(id, bytes, size);
        return;
      }
      // Whole, or in pieces (encodeChunk's raw form is [header, body]).
      const encoded = k % 2 ? [bytes.subarray(0, 1), bytes.subarray(1)] : bytes;
      packer.add(id, encoded, size);
    });
    expect(() => packer.adopt(new Uint8Array(32).fill(1), new Uint8Array(4), 4)).toThrow(
      RangeError,
    );
    expect(adopted.map((b, j) => b.every((x) => x === (j === 0 ? 3 : 6)))).toEqual([true, true]);
    expect(packer.bytes).toBe(sizes.reduce((a, b) => a + b + PACK_BLOB_OVERHEAD, 0));
    const pack = await packer.assemble();
    // Written in pieces of at most 1 MiB, but for a blob larger than that alone in its piece.
    const pieces: Uint8Array[] = [];
    for await (const piece of pack.readable) pieces.push(piece);
    const large = sizes.map((n) => n + PACK_BLOB_OVERHEAD).filter((n) => n > 1 << 20);
    expect(large).toHaveLength(2);
    expect(pieces.filter((p) => large.includes(p.length))).toHaveLength(2);
    expect(pieces.every((p) => p.length <= 1 << 20 || large.includes(p.length))).toBe(true);
    const packBytes = concatBytes(...pieces);
    expect(packBytes.length).toBe(pack.size);
    const cipher = await packCipher(keys, 'data', pack.packId);
    for (const b of blobsOf(pack)) {
      const k = (b.id[0] as number) - 1;
      expect(b.sealedLength).toBe((sizes[k] as number) + PACK_BLOB_OVERHEAD);
      const sealed = packBytes.subarray(b.offset, b.offset + b.sealedLength);
      const bytes = await cipher.open(b.offset, encodeHex(b.id), sealed);
      expect(bytes.length).toBe(sizes[k]);
      expect(bytes.every((x) => x === k + 1)).toBe(true);
    }
  });

  it('knows the blobs of the pack being filled and of the one assembled last, and refuses a repeat', async () => {
    const keys = await deriveChainKeys(crypto.getRandomValues(new Uint8Array(32)));
    const packer = new PackAssembler('data', keys);
    const id = (n: number) => new Uint8Array(32).fill(n);
    packer.add(id(1), new Uint8Array(10), 1);
    expect(packer.has(id(1))).toBe(true);
    expect(packer.has(id(2))).toBe(false);
    expect(() => packer.add(id(1), new Uint8Array(10), 1)).toThrow(RangeError);
    await packer.assemble();
    packer.add(id(2), new Uint8Array(10), 1);
    expect([packer.has(id(1)), packer.has(id(2))]).toEqual([true, true]);
    await packer.assemble();
    expect([packer.has(id(1)), packer.has(id(2))]).toEqual([false, true]);
  });
});
