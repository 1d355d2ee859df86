/// <reference types="node" />
import { createCipheriv, createDecipheriv, createSecretKey, hkdfSync } from 'node:crypto';
import type { AeadEngine, SegmentCipher } from '../AeadEngine.ts';
import { checkInfo, splitTail } from './pieces.ts';

/** A plain Uint8Array view of a Buffer (same memory, no copy). */
function plain(b: Uint8Array): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/**
 * The node:crypto engine (OpenSSL on the calling thread): the default in Node. Each piece of a
 * segment goes straight to `update()`, so segments are never joined; decryption holds the
 * plaintext pieces until `final()` has verified the tag.
 *
 * @example
 * ```ts
 * import { decrypt, encrypt, nodeEngine } from '@sealstream/aead';
 * const key = new Uint8Array(32);
 * const sealed = await encrypt(key, new Uint8Array([7]), { engine: nodeEngine });
 * console.assert((await decrypt(key, sealed, { engine: nodeEngine }))[0] === 7);
 * ```
 */
export const nodeEngine: AeadEngine = {
  name: 'node',
  async hkdf(ikm, salt, info, length) {
    if (!Number.isSafeInteger(length) || length < 1 || length > 255 * 32) {
      throw new RangeError(`hkdf: length must be in [1, 8160], received ${length}`);
    }
    checkInfo(info);
    return new Uint8Array(hkdfSync('sha256', ikm, salt, info, length));
  },
  async createSegmentCipher(key): Promise<SegmentCipher> {
    const k = createSecretKey(key);
    return {
      seal(nonce, plaintext, aad) {
        const c = createCipheriv('aes-256-gcm', k, nonce);
        if (aad !== undefined && aad.length > 0) c.setAAD(aad);
        const out: Uint8Array[] = [];
        for (const p of plaintext) if (p.length > 0) out.push(plain(c.update(p)));
        c.final();
        out.push(plain(c.getAuthTag()));
        return out;
      },
      open(nonce, ciphertext, aad) {
        const split = splitTail(ciphertext, 16);
        if (split === null) return null;
        const d = createDecipheriv('aes-256-gcm', k, nonce, { authTagLength: 16 });
        d.setAuthTag(split.tail);
        if (aad !== undefined && aad.length > 0) d.setAAD(aad);
        const out: Uint8Array[] = [];
        for (const p of split.body) out.push(plain(d.update(p)));
        try {
          d.final();
        } catch {
          return null;
        }
        return out;
      },
    };
  },
};
