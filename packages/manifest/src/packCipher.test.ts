import { defaultEngine, nobleEngine, webcryptoEngine } from '@sealstream/aead';
import { concatBytes, decodeHex, encodeHex } from '@sealstream/streams';
import { describe, expect, it } from 'vitest';
import golden from '../golden/keys-v2.json' with { type: 'json' };
import { deriveChainKeys } from './chainKeys.ts';
import { PACK_BLOB_OVERHEAD, packCipher } from './packCipher.ts';
import type { PackKind } from './packIndex.ts';

async function goldenCipher(g: (typeof golden.packBlobs)[number], packId = g.packId) {
  const keys = await deriveChainKeys(decodeHex(g.root));
  return packCipher(keys, g.kind as PackKind, packId);
}

describe('packCipher', () => {
  it('seals and opens the golden blobs, with every engine', async () => {
    for (const g of golden.packBlobs) {
      for (const engine of [undefined, webcryptoEngine, nobleEngine]) {
        const keys = await deriveChainKeys(decodeHex(g.root));
        const cipher = await packCipher(keys, g.kind as PackKind, g.packId, engine);
        const plain = decodeHex(g.plaintext);
        const out = new Uint8Array(g.offset + plain.length + PACK_BLOB_OVERHEAD);
        await cipher.sealInto(out, g.offset, g.blobId, plain);
        expect(encodeHex(out.subarray(g.offset))).toBe(g.sealed);
        expect(await cipher.open(g.offset, g.blobId, decodeHex(g.sealed))).toEqual(plain);
      }
    }
  });

  it('refuses a blob moved to another place, named as another blob, or read in another pack', async () => {
    const g = golden.packBlobs[0] as (typeof golden.packBlobs)[number];
    const cipher = await goldenCipher(g);
    const sealed = decodeHex(g.sealed);
    const tampered = { code: 'ERR_AEAD_TAMPERED' };
    await expect(cipher.open(g.offset + 21, g.blobId, sealed)).rejects.toMatchObject(tampered);
    await expect(cipher.open(g.offset, 'ce'.repeat(32), sealed)).rejects.toMatchObject(tampered);
    const other = await goldenCipher(g, 'ac'.repeat(16));
    await expect(other.open(g.offset, g.blobId, sealed)).rejects.toMatchObject(tampered);
    const flipped = sealed.slice();
    flipped[0] = (flipped[0] as number) ^ 1;
    await expect(cipher.open(g.offset, g.blobId, flipped)).rejects.toMatchObject(tampered);
    await expect(cipher.open(g.offset, g.blobId, sealed.subarray(0, 15))).rejects.toMatchObject(
      tampered,
    );
  });

  it('keys a data pack and a tree pack of one id differently', async () => {
    const keys = await deriveChainKeys(crypto.getRandomValues(new Uint8Array(32)));
    const id = '12'.repeat(16);
    const data = await packCipher(keys, 'data', id);
    const tree = await packCipher(keys, 'tree', id);
    const out = new Uint8Array(20);
    await data.sealInto(out, 0, 'ab'.repeat(32), new Uint8Array(4));
    await expect(tree.open(0, 'ab'.repeat(32), out)).rejects.toMatchObject({
      code: 'ERR_AEAD_TAMPERED',
    });
    await expect(
      data.sealInto(new Uint8Array(19), 0, 'ab'.repeat(32), new Uint8Array(4)),
    ).rejects.toThrow(RangeError);
    await expect(packCipher(keys, 'blob' as PackKind, id)).rejects.toThrow(TypeError);
  });

  it('seals a run of blobs in one call: the bytes of sealing each in its place, with or without sealEach', async () => {
    const keys = await deriveChainKeys(crypto.getRandomValues(new Uint8Array(32)));
    const lengths = [3, 0, 200, 50];
    const ids = crypto.getRandomValues(new Uint8Array(32 * lengths.length));
    const plaintexts = crypto.getRandomValues(new Uint8Array(253));
    const size = 253 + 16 * lengths.length;
    for (const engine of [defaultEngine(), nobleEngine]) {
      const cipher = await packCipher(keys, 'data', '56'.repeat(16), engine);
      const want = new Uint8Array(1000 + size);
      for (let i = 0, from = 0, offset = 1000; i < lengths.length; i++) {
        const to = from + (lengths[i] as number);
        const hex = encodeHex(ids.subarray(32 * i, 32 * i + 32));
        await cipher.sealInto(want, offset, hex, plaintexts.subarray(from, to));
        offset += to - from + 16;
        from = to;
      }
      const out = new Uint8Array(5 + size);
      const run = { ids, plaintexts, lengths: Uint32Array.from(lengths) };
      await cipher.sealRun(out, 5, 1000, run);
      expect(out.subarray(5)).toEqual(want.subarray(1000));
      await expect(cipher.sealRun(out, 6, 1000, run)).rejects.toThrow(RangeError);
      const noId = { ...run, ids: ids.subarray(1) };
      await expect(cipher.sealRun(out, 5, 1000, noId)).rejects.toThrow(RangeError);
      await expect(cipher.sealRun(out, 5, 2 ** 32 - 100, run)).rejects.toThrow(/uint32/);
      for (const offset of [-1, 0.5])
        await expect(cipher.sealRun(out, 5, offset, run)).rejects.toThrow(/uint32/);
    }
  });

  it('seals a blob into a piece of the pack: the same bytes as sealed into the whole pack', async () => {
    const keys = await deriveChainKeys(crypto.getRandomValues(new Uint8Array(32)));
    const cipher = await packCipher(keys, 'data', '34'.repeat(16));
    const plain = new Uint8Array([5, 6, 7]);
    const whole = new Uint8Array(1000 + 19);
    await cipher.sealInto(whole, 1000, 'ef'.repeat(32), plain);
    // Opened in pieces: the same plaintext, only once the tag verified.
    const sealed = whole.subarray(1000);
    expect(concatBytes(...(await cipher.openPieces(1000, 'ef'.repeat(32), sealed)))).toEqual(plain);
    const forged = sealed.slice();
    forged[0] = (forged[0] as number) ^ 1;
    await expect(cipher.openPieces(1000, 'ef'.repeat(32), forged)).rejects.toMatchObject({
      code: 'ERR_AEAD_TAMPERED',
    });
    const piece = new Uint8Array(30);
    await cipher.sealInto(piece, 1000, 'ef'.repeat(32), plain, 7);
    expect(piece.subarray(7, 26)).toEqual(whole.subarray(1000));
    expect(await cipher.open(1000, 'ef'.repeat(32), piece.subarray(7, 26))).toEqual(plain);
    // The piece's end, and a place that is not an index, are checked like the whole pack's end.
    await expect(cipher.sealInto(piece, 1000, 'ef'.repeat(32), plain, 12)).rejects.toThrow(
      RangeError,
    );
    await expect(cipher.sealInto(piece, 1000, 'ef'.repeat(32), plain, -1)).rejects.toThrow(
      RangeError,
    );
  });
});
