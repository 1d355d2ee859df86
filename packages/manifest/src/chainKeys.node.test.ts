/**
 * A reference reader of the v2 key schedule and associated data, written from
 * docs/COLLECTION-FORMAT-V2.md §1–4 with node:crypto alone, checked against the package on random
 * roots and against the golden file.
 */
import { createCipheriv, createHmac, hkdfSync } from 'node:crypto';
import { encodeHex } from '@sealstream/streams';
import { describe, expect, it } from 'vitest';
import golden from '../golden/keys-v2.json' with { type: 'json' };
import { blobIdHasher } from './blobIdHasher.ts';
import { deriveChainKeys } from './chainKeys.ts';
import { sealedAssociatedData } from './sealedKinds.ts';

const LABELS: Record<string, [string, number]> = {
  chainId: ['sealstream/v2/chain-id', 16],
  chunkId: ['sealstream/v2/chunk-id', 32],
  treeId: ['sealstream/v2/tree-id', 32],
  chunker: ['sealstream/v2/chunker', 32],
  data: ['sealstream/v2/data', 32],
  meta: ['sealstream/v2/meta', 32],
  auth: ['sealstream/v2/auth', 32],
};
/** Kind byte and version of each kind of associated data (§2). */
const KINDS: Record<string, [number, number]> = {
  dataBlob: [1, 2],
  treeBlob: [2, 2],
  packIndex: [3, 1],
  snapshot: [4, 1],
  keyEnvelope: [5, 1],
  packKey: [6, 1],
};

function reference(root: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, [label, n]] of Object.entries(LABELS))
    out[name] = Buffer.from(hkdfSync('sha256', root, Buffer.alloc(0), label, n)).toString('hex');
  return out;
}

/** RFC 8785 canonical JSON, as §2 requires of the MAC input, written again from the text. */
function referenceCanonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(referenceCanonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${referenceCanonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

function referenceAd(kind: string, fields: string[]): string {
  const [byte, version] = KINDS[kind] as [number, number];
  const parts = [Buffer.from('sealstream/v2/ad'), Buffer.from([0, byte, version, fields.length])];
  for (const f of fields) {
    const b = Buffer.from(f, 'utf8');
    const len = Buffer.alloc(2);
    len.writeUInt16BE(b.length);
    parts.push(len, b);
  }
  return Buffer.concat(parts).toString('hex');
}

describe('v2 key schedule: a reference reader from the spec', () => {
  it('agrees with the golden file', () => {
    for (const g of golden.keys) {
      const { root, ...keys } = g;
      expect(reference(Buffer.from(root, 'hex'))).toEqual(keys);
    }
    for (const g of golden.associatedData) expect(referenceAd(g.kind, g.fields)).toBe(g.hex);
    const key = Buffer.from((golden.keys[1] as { chunkId: string }).chunkId, 'hex');
    for (const g of golden.blobIds)
      expect(createHmac('sha256', key).update(g.text).digest('hex')).toBe(g.hex);
  });

  it('seals the golden pack blobs as §4 says: a key per pack, the offset as nonce', () => {
    for (const g of golden.packBlobs) {
      const keys = reference(Buffer.from(g.root, 'hex'));
      const ikm = Buffer.from((g.kind === 'data' ? keys.data : keys.meta) as string, 'hex');
      const info = Buffer.from(referenceAd('packKey', [keys.chainId as string, g.packId]), 'hex');
      const packKey = Buffer.from(hkdfSync('sha256', ikm, Buffer.alloc(0), info, 32));
      expect(packKey.toString('hex')).toBe(g.packKey);
      const nonce = Buffer.alloc(12);
      nonce.writeUInt32BE(g.offset, 8);
      const cipher = createCipheriv('aes-256-gcm', packKey, nonce);
      const kind = g.kind === 'data' ? 'dataBlob' : 'treeBlob';
      cipher.setAAD(Buffer.from(referenceAd(kind, [keys.chainId as string, g.blobId]), 'hex'));
      const sealed = Buffer.concat([
        cipher.update(Buffer.from(g.plaintext, 'hex')),
        cipher.final(),
        cipher.getAuthTag(),
      ]);
      expect(sealed.toString('hex')).toBe(g.sealed);
    }
  });

  it('authenticates the golden ENCRYPTION_INFO generation as the text says', () => {
    for (const g of golden.encryptionInfo) {
      const { mac, ...doc } = JSON.parse(g.document);
      const auth = Buffer.from(reference(Buffer.from(g.root, 'hex')).auth as string, 'hex');
      const input = Buffer.concat([
        Buffer.from(referenceAd('keyEnvelope', [doc.chainId, String(doc.generation)]), 'hex'),
        Buffer.from(referenceCanonical(doc), 'utf8'),
      ]);
      const expected = createHmac('sha256', auth).update(input).digest();
      expect(expected.toString('hex')).toBe(g.mac);
      expect(Buffer.from(mac, 'base64').toString('hex')).toBe(g.mac);
    }
  });

  it('agrees with the package on random roots, fields and blobs', async () => {
    for (let i = 0; i < 20; i++) {
      const root = crypto.getRandomValues(new Uint8Array(32));
      const k = await deriveChainKeys(root);
      const ref = reference(Buffer.from(root));
      expect(k.chainId).toBe(ref.chainId);
      expect(encodeHex(k.meta)).toBe(ref.meta);
      expect(encodeHex(k.chunker)).toBe(ref.chunker);
      const fields = [k.chainId, `layer-${i}/é/${'x'.repeat(i * 7)}`];
      expect(encodeHex(sealedAssociatedData('snapshot', fields))).toBe(
        referenceAd('snapshot', fields),
      );
      // Both sides of the small-input path (4096 bytes) and a WebCrypto-sized blob.
      const size = [0, 1, 100, 4095, 4096, 4097, 20_000][i % 7] as number;
      const blob = crypto.getRandomValues(new Uint8Array(size));
      expect(encodeHex(await blobIdHasher(k.chunkId)(blob))).toBe(
        createHmac('sha256', k.chunkId).update(blob).digest('hex'),
      );
    }
  });
});
