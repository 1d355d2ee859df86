import { decodeHex, encodeHex } from '@sealstream/streams';
import { describe, expect, it } from 'vitest';
import golden from '../golden/keys-v2.json' with { type: 'json' };
import { blobIdHasher } from './blobIdHasher.ts';
import { deriveChainKeys } from './chainKeys.ts';
import { decodeEncryptionInfo, encodeEncryptionInfo } from './EncryptionInfo.ts';
import { checkEncryptionInfoMac } from './encryptionInfoMac.ts';
import { V2_LABELS } from './formatLabels.ts';
import { type SealedKind, sealedAssociatedData } from './sealedKinds.ts';

function withoutRoot<T extends { root: string }>(g: T): Omit<T, 'root'> {
  const { root: _root, ...rest } = g;
  return rest;
}

describe('collection format v2 key schedule (golden/keys-v2.json)', () => {
  it('derives every key and the chain id exactly as the golden file says', async () => {
    expect(golden.keys).toHaveLength(2);
    for (const g of golden.keys) {
      const k = await deriveChainKeys(decodeHex(g.root));
      expect({
        chainId: k.chainId,
        chunkId: encodeHex(k.chunkId),
        treeId: encodeHex(k.treeId),
        chunker: encodeHex(k.chunker),
        data: encodeHex(k.data),
        meta: encodeHex(k.meta),
        auth: encodeHex(k.auth),
      }).toEqual(withoutRoot(g));
    }
  });

  it('gives every purpose its own key, and another root other keys', async () => {
    const root = crypto.getRandomValues(new Uint8Array(32));
    const a = await deriveChainKeys(root);
    const values = [a.chunkId, a.treeId, a.chunker, a.data, a.meta, a.auth].map(encodeHex);
    expect(new Set(values).size).toBe(6);
    expect(values).not.toContain(encodeHex(root));
    expect(Object.keys(V2_LABELS)).toHaveLength(7);
    const other = crypto.getRandomValues(new Uint8Array(32));
    const b = await deriveChainKeys(other);
    expect(b.chainId).not.toBe(a.chainId);
    expect(encodeHex(b.data)).not.toBe(encodeHex(a.data));
    expect(a.chainId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('refuses a root key that is not 32 bytes', async () => {
    await expect(deriveChainKeys(new Uint8Array(31))).rejects.toThrow(RangeError);
    expect(() => blobIdHasher(new Uint8Array(16))).toThrow(RangeError);
  });

  it('names blobs with a keyed MAC', async () => {
    for (const g of golden.blobIds) {
      const key = decodeHex((golden.keys[1] as { chunkId: string }).chunkId);
      const id = await blobIdHasher(key)(new TextEncoder().encode(g.text));
      expect(encodeHex(id)).toBe(g.hex);
    }
    const otherKey = blobIdHasher(crypto.getRandomValues(new Uint8Array(32)));
    const hello = new TextEncoder().encode('hello');
    expect(encodeHex(await otherKey(hello))).not.toBe(golden.blobIds[1]?.hex);
  });
});

describe('an authenticated ENCRYPTION_INFO generation (golden/keys-v2.json)', () => {
  it('decodes and authenticates under the auth key of its root', async () => {
    for (const g of golden.encryptionInfo) {
      const keys = await deriveChainKeys(decodeHex(g.root));
      const info = decodeEncryptionInfo(new TextEncoder().encode(g.document));
      expect(encodeHex(info.mac)).toBe(g.mac);
      expect(info.chainId).toBe(keys.chainId);
      await expect(checkEncryptionInfoMac(info, keys.auth)).resolves.toBe(undefined);
      expect(new TextDecoder().decode(encodeEncryptionInfo(info))).toBe(g.document);
    }
  });
});

describe('v2 associated data', () => {
  it('encodes kind, version and length-prefixed fields as the golden file says', () => {
    for (const g of golden.associatedData) {
      expect(encodeHex(sealedAssociatedData(g.kind as SealedKind, g.fields))).toBe(g.hex);
    }
  });

  it('is unambiguous where a joined path is not', () => {
    const chain = '0'.repeat(32);
    const a = sealedAssociatedData('snapshot', [chain, 'F/incrementals/S']);
    const b = sealedAssociatedData('treeBlob', [chain, 'F/incrementals/S']);
    const c = sealedAssociatedData('snapshot', [`${chain}/F`, 'incrementals/S']);
    expect(encodeHex(a)).not.toBe(encodeHex(b));
    expect(encodeHex(a)).not.toBe(encodeHex(c));
  });

  it('refuses the wrong number of fields or an oversized one', () => {
    expect(() => sealedAssociatedData('snapshot', ['x'])).toThrow(/names 2 fields/);
    expect(() => sealedAssociatedData('dataBlob', ['x', 'y'.repeat(70_000)])).toThrow(RangeError);
    expect(() => sealedAssociatedData('nope' as SealedKind, [])).toThrow(TypeError);
  });
});
