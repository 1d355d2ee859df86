import { createDecipheriv, createHash, hkdfSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { decodeHex, encodeHex } from '@sealstream/streams';
import { describe, expect, it } from 'vitest';
import { decrypt } from './index.ts';
import { ALL_ENGINES, ENGINE_LABELS } from './testing/engines.node.ts';
import { fixedRandom, seal } from './testing/helpers.ts';
import './index.node.ts';

interface GoldenCase {
  name: string;
  key: string;
  salt: string;
  noncePrefix: string;
  segmentSize: number;
  associatedData: string;
  plaintext: string;
  ciphertext: string;
}
const golden: { cases: GoldenCase[] } = JSON.parse(
  readFileSync(new URL('../golden/v1.json', import.meta.url), 'utf8'),
);

/**
 * An independent reader written from docs/FORMAT.md with node:crypto only (none of the package's
 * code): if the package and the specification ever disagree, this fails.
 */
function referenceOpen(key: Uint8Array, ad: Uint8Array, sealed: Uint8Array): Uint8Array {
  const magic = Buffer.from([0x89, 0x53, 0x45, 0x41, 0x4c, 0x0d, 0x0a, 0x1a]);
  expect(Buffer.from(sealed.subarray(0, 8)).equals(magic)).toBe(true);
  expect(sealed[8]).toBe(1);
  const s = Buffer.from(sealed).readUInt32BE(9);
  const salt = sealed.subarray(13, 45);
  const prefix = sealed.subarray(45, 52);
  const commitment = sealed.subarray(52, 84);
  const info = Buffer.concat([
    Buffer.from('sealstream/aead/v1'),
    Buffer.from([0]),
    sealed.subarray(0, 52),
    createHash('sha256').update(ad).digest(),
  ]);
  expect(info.length).toBe(103);
  const okm = Buffer.from(hkdfSync('sha256', key, salt, info, 64));
  expect(okm.subarray(32).equals(commitment)).toBe(true);
  const out: Buffer[] = [];
  let offset = 84;
  for (let i = 0; offset < sealed.length; i++) {
    const len = Math.min(s + 16, sealed.length - offset);
    const last = offset + len === sealed.length;
    const nonce = Buffer.alloc(12);
    Buffer.from(prefix).copy(nonce, 0);
    nonce.writeUInt32BE(i, 7);
    nonce[11] = last ? 1 : 0;
    const d = createDecipheriv('aes-256-gcm', okm.subarray(0, 32), nonce);
    d.setAuthTag(sealed.subarray(offset + len - 16, offset + len));
    out.push(d.update(sealed.subarray(offset, offset + len - 16)), d.final());
    offset += len;
  }
  return new Uint8Array(Buffer.concat(out));
}

describe('golden files (golden/v1.json): any change of the format bytes fails here', () => {
  it('holds the expected cases', () => {
    expect(golden.cases.map((c) => c.name)).toEqual([
      'empty plaintext, no associated data',
      'one byte',
      'three segments, short last',
      'exact multiple of the segment size',
      'default segment size',
    ]);
  });

  for (const c of golden.cases) {
    it.each(ENGINE_LABELS)(`${c.name}: engine %s seals and opens the same bytes`, async (label) => {
      const engine = ALL_ENGINES[label];
      const key = decodeHex(c.key);
      const associatedData = decodeHex(c.associatedData);
      const sealed = await seal(
        key,
        [decodeHex(c.plaintext)],
        fixedRandom(
          { segmentSize: c.segmentSize, associatedData, engine },
          decodeHex(c.salt),
          decodeHex(c.noncePrefix),
        ),
      );
      expect(encodeHex(sealed)).toBe(c.ciphertext);
      expect(
        encodeHex(await decrypt(key, decodeHex(c.ciphertext), { associatedData, engine })),
      ).toBe(c.plaintext);
    });

    it(`${c.name}: opens with the reference reader written from docs/FORMAT.md`, () => {
      const opened = referenceOpen(
        decodeHex(c.key),
        decodeHex(c.associatedData),
        decodeHex(c.ciphertext),
      );
      expect(encodeHex(opened)).toBe(c.plaintext);
    });
  }
});
