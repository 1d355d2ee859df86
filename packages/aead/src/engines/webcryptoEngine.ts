import type { AeadEngine, SegmentCipher } from '../AeadEngine.ts';
import { checkInfo, joinPieces } from './pieces.ts';

type Bytes = Uint8Array<ArrayBuffer>;
const EMPTY = new Uint8Array(0);

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (s === undefined) {
    throw new TypeError(
      'webcryptoEngine: crypto.subtle is not available here (insecure context?); use nobleEngine',
    );
  }
  return s;
}

/** Copies into a fresh ArrayBuffer-backed array when needed (WebCrypto rejects shared memory). */
function own(bytes: Uint8Array): Bytes {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Bytes) : new Uint8Array(bytes);
}

/**
 * The WebCrypto engine (`crypto.subtle`): HKDF and AES-256-GCM. The default outside Node; in
 * Node it runs on the libuv thread pool, so several segments in flight use several cores.
 *
 * @example
 * ```ts
 * import { decrypt, encrypt, webcryptoEngine } from '@sealstream/aead';
 * const key = crypto.getRandomValues(new Uint8Array(32));
 * const sealed = await encrypt(key, new Uint8Array([7]), { engine: webcryptoEngine });
 * console.assert((await decrypt(key, sealed, { engine: webcryptoEngine }))[0] === 7);
 * ```
 */
export const webcryptoEngine: AeadEngine = {
  name: 'webcrypto',
  async hkdf(ikm, salt, info, length) {
    if (!Number.isSafeInteger(length) || length < 1 || length > 255 * 32) {
      throw new RangeError(`hkdf: length must be in [1, 8160], received ${length}`);
    }
    checkInfo(info);
    const base = await subtle().importKey('raw', own(ikm), 'HKDF', false, ['deriveBits']);
    const bits = await subtle().deriveBits(
      { name: 'HKDF', hash: 'SHA-256', salt: own(salt), info: own(info) },
      base,
      length * 8,
    );
    return new Uint8Array(bits);
  },
  async createSegmentCipher(key): Promise<SegmentCipher> {
    const k = await subtle().importKey('raw', own(key), 'AES-GCM', false, ['encrypt', 'decrypt']);
    return {
      async seal(nonce, plaintext, aad = EMPTY) {
        const out = await subtle().encrypt(
          { name: 'AES-GCM', iv: own(nonce), additionalData: own(aad), tagLength: 128 },
          k,
          own(joinPieces(plaintext)),
        );
        return [new Uint8Array(out)];
      },
      async open(nonce, ciphertext, aad = EMPTY) {
        try {
          const out = await subtle().decrypt(
            { name: 'AES-GCM', iv: own(nonce), additionalData: own(aad), tagLength: 128 },
            k,
            own(joinPieces(ciphertext)),
          );
          return [new Uint8Array(out)];
        } catch (error) {
          if (error instanceof Error && error.name === 'OperationError') return null;
          throw error;
        }
      },
    };
  },
};
