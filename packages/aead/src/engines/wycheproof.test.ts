import { readFileSync } from 'node:fs';
import { decodeHex, encodeHex } from '@sealstream/streams';
import { describe, expect, it } from 'vitest';
import type { AeadEngine } from '../AeadEngine.ts';
import { nobleEngine } from './nobleEngine.ts';
import { createNodeEngine, createTunedNodeEngine, nodeEngine } from './nodeEngine.node.ts';
import { webcryptoEngine } from './webcryptoEngine.ts';

const vectors = (name: string) =>
  JSON.parse(
    readFileSync(new URL(`../../../../tests/vectors/wycheproof/${name}`, import.meta.url), 'utf8'),
  );

interface GcmCase {
  tcId: number;
  key: string;
  iv: string;
  aad: string;
  msg: string;
  ct: string;
  tag: string;
  result: 'valid' | 'invalid' | 'acceptable';
}
interface HkdfCase {
  tcId: number;
  ikm: string;
  salt: string;
  info: string;
  size: number;
  okm: string;
  result: 'valid' | 'invalid';
}

const gcm = vectors('aes_gcm_test.json');
const gcmCases: GcmCase[] = gcm.testGroups
  .filter(
    (g: { keySize: number; ivSize: number; tagSize: number }) =>
      g.keySize === 256 && g.ivSize === 96 && g.tagSize === 128,
  )
  .flatMap((g: { tests: GcmCase[] }) => g.tests);
const hkdfCases: HkdfCase[] = vectors('hkdf_sha256_test.json').testGroups.flatMap(
  (g: { tests: HkdfCase[] }) => g.tests,
);

const engines: AeadEngine[] = [
  webcryptoEngine,
  nobleEngine,
  nodeEngine,
  createNodeEngine({ workers: 0 }),
  createTunedNodeEngine({ workers: 2 }, { offloadBytes: 0 }),
];

describe.each(engines.map((e, i) => [`${e.name} #${i}`, e] as const))(
  'engine %s',
  (_name, engine) => {
    it('passes the Wycheproof AES-256-GCM vectors with 96-bit IVs (valid and invalid)', async () => {
      expect(gcmCases.length).toBeGreaterThan(60);
      let valid = 0;
      let invalid = 0;
      for (const tc of gcmCases) {
        const cipher = await engine.createSegmentCipher(decodeHex(tc.key));
        const iv = decodeHex(tc.iv);
        const aad = decodeHex(tc.aad);
        const sealed = decodeHex(tc.ct + tc.tag);
        const opened = await cipher.open(iv, [sealed], aad);
        if (tc.result === 'valid') {
          valid++;
          expect(opened, `tcId ${tc.tcId}`).not.toBeNull();
          expect(encodeHex(concat(opened as Uint8Array[])), `tcId ${tc.tcId}`).toBe(tc.msg);
          const out = await cipher.seal(iv, [decodeHex(tc.msg)], aad);
          expect(encodeHex(concat(out)), `tcId ${tc.tcId}`).toBe(tc.ct + tc.tag);
        } else {
          invalid++;
          expect(opened, `tcId ${tc.tcId} must be rejected`).toBeNull();
        }
      }
      expect(valid).toBeGreaterThan(0);
      expect(invalid).toBeGreaterThan(0);
    });

    it('opens ciphertext split into arbitrary pieces, tag straddling pieces', async () => {
      const tc = gcmCases.find((c) => c.result === 'valid' && c.msg.length >= 64) as GcmCase;
      const cipher = await engine.createSegmentCipher(decodeHex(tc.key));
      const sealed = decodeHex(tc.ct + tc.tag);
      for (const cut of [1, 5, sealed.length - 10, sealed.length - 1]) {
        const pieces = [sealed.subarray(0, cut), new Uint8Array(0), sealed.subarray(cut)];
        const opened = await cipher.open(decodeHex(tc.iv), pieces, decodeHex(tc.aad));
        expect(encodeHex(concat(opened as Uint8Array[]))).toBe(tc.msg);
      }
      expect(await cipher.open(decodeHex(tc.iv), [sealed.subarray(0, 15)])).toBeNull();
    });

    it('passes the Wycheproof HKDF-SHA256 vectors', async () => {
      expect(hkdfCases.length).toBeGreaterThan(80);
      for (const tc of hkdfCases) {
        const run = engine.hkdf(decodeHex(tc.ikm), decodeHex(tc.salt), decodeHex(tc.info), tc.size);
        if (tc.result === 'valid') {
          expect(encodeHex(await run), `tcId ${tc.tcId}`).toBe(tc.okm);
        } else {
          await expect(run, `tcId ${tc.tcId}`).rejects.toThrow(RangeError);
        }
      }
    });

    it('accepts HKDF info up to 1024 bytes and rejects longer (the node:crypto limit) like the others', async () => {
      const ikm = new Uint8Array(32).fill(7);
      const salt = new Uint8Array(32).fill(9);
      const info = new Uint8Array(1024).map((_, i) => i);
      expect(encodeHex(await engine.hkdf(ikm, salt, info, 64))).toBe(
        encodeHex(await nobleEngine.hkdf(ikm, salt, info, 64)),
      );
      await expect(engine.hkdf(ikm, salt, new Uint8Array(1025), 64)).rejects.toThrow(
        /at most 1024 bytes/,
      );
    });
  },
);

function concat(pieces: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of pieces) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
