import { createCipheriv, createDecipheriv } from 'node:crypto';

/** The ceiling's segment size: raw node:crypto AES-256-GCM one-shot over 1 MiB segments. */
export const CEILING_SEGMENT = 1024 * 1024;

function nonce(counter: number): Buffer {
  const iv = Buffer.alloc(12);
  iv.writeUInt32BE(Math.floor(counter / 2 ** 32), 4);
  iv.writeUInt32BE(counter >>> 0, 8);
  return iv;
}

function view(input: Uint8Array, offset: number, length: number): Buffer {
  return Buffer.from(input.buffer, input.byteOffset + offset, length);
}

/**
 * The ceiling: AES-256-GCM with node:crypto (OpenSSL), one cipher object per 1 MiB segment,
 * one `update` + `final` each, on the main thread, no streams. Returns the ciphertext bytes
 * produced (discarded), so callers can check that work was done.
 *
 * @example
 * ```ts
 * import { randomBytes } from 'node:crypto';
 * import { sealSegments } from './nodeGcmCeiling.ts';
 * console.assert(sealSegments(new Uint8Array(3 << 20), randomBytes(32)) === 3 << 20);
 * ```
 */
export function sealSegments(
  input: Uint8Array,
  key: Uint8Array,
  segmentSize = CEILING_SEGMENT,
  piece = segmentSize,
): number {
  let out = 0;
  for (let offset = 0, i = 0; offset < input.byteLength; offset += segmentSize, i++) {
    const length = Math.min(segmentSize, input.byteLength - offset);
    const cipher = createCipheriv('aes-256-gcm', key, nonce(i));
    for (let p = 0; p < length; p += piece)
      out += cipher.update(view(input, offset + p, Math.min(piece, length - p))).byteLength;
    out += cipher.final().byteLength;
    cipher.getAuthTag();
  }
  return out;
}

/** Segments sealed by {@link sealSegmentsKeep}, ready for {@link openSegments}. */
export interface SealedSegments {
  readonly ciphertext: readonly Buffer[];
  readonly tags: readonly Buffer[];
  readonly plaintextBytes: number;
}

/** Like {@link sealSegments} but keeps ciphertext and tags, to prepare the decryption ceiling. */
export function sealSegmentsKeep(
  input: Uint8Array,
  key: Uint8Array,
  segmentSize = CEILING_SEGMENT,
): SealedSegments {
  const ciphertext: Buffer[] = [];
  const tags: Buffer[] = [];
  for (let offset = 0, i = 0; offset < input.byteLength; offset += segmentSize, i++) {
    const length = Math.min(segmentSize, input.byteLength - offset);
    const cipher = createCipheriv('aes-256-gcm', key, nonce(i));
    ciphertext.push(Buffer.concat([cipher.update(view(input, offset, length)), cipher.final()]));
    tags.push(cipher.getAuthTag());
  }
  return { ciphertext, tags, plaintextBytes: input.byteLength };
}

/**
 * The decryption ceiling: one node:crypto decipher per segment, tag checked. Returns the
 * plaintext bytes produced; throws if any tag fails.
 *
 * @example
 * ```ts
 * import { randomBytes } from 'node:crypto';
 * import { openSegments, sealSegmentsKeep } from './nodeGcmCeiling.ts';
 * const key = randomBytes(32);
 * const sealed = sealSegmentsKeep(new Uint8Array(5 << 19), key);
 * console.assert(openSegments(sealed, key) === 5 << 19);
 * ```
 */
export function openSegments(
  sealed: SealedSegments,
  key: Uint8Array,
  piece = Number.POSITIVE_INFINITY,
): number {
  let out = 0;
  sealed.ciphertext.forEach((segment, i) => {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce(i));
    decipher.setAuthTag(sealed.tags[i] as Buffer);
    for (let p = 0; p < segment.byteLength; p += piece)
      out += decipher.update(
        segment.subarray(p, Math.min(p + piece, segment.byteLength)),
      ).byteLength;
    out += decipher.final().byteLength;
  });
  return out;
}
