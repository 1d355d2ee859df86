import { createCipheriv, createDecipheriv } from 'node:crypto';
import { CHUNK } from './byteStreams.ts';

/** Segments of the ceiling: 1 MiB, the stream's default. */
const SEGMENT = 1 << 20;

/** A 96-bit big-endian counter nonce. */
function nonce(i: number): Buffer {
  const iv = Buffer.alloc(12);
  iv.writeUInt32BE(i, 8);
  return iv;
}

/** Runs `cipher.update` over `data` 64 KiB at a time and returns the bytes it produced. */
function feed(cipher: { update(b: Uint8Array): Buffer }, data: Uint8Array): number {
  let out = 0;
  for (let o = 0; o < data.length; o += CHUNK)
    out += cipher.update(data.subarray(o, o + CHUNK)).length;
  return out;
}

/**
 * The encryption ceiling: raw node:crypto AES-256-GCM on the main thread, one cipher per 1 MiB
 * segment, fed 64 KiB at a time, output dropped; no streams, no framing. Returns the bytes made.
 *
 * @example
 * ```ts
 * import { randomBytes } from 'node:crypto';
 * import { gcmSeal } from './gcmCeiling.ts';
 * console.assert(gcmSeal(new Uint8Array(3 << 20), randomBytes(32)) === 3 << 20);
 * ```
 */
export function gcmSeal(input: Uint8Array, key: Uint8Array): number {
  let out = 0;
  for (let o = 0, i = 0; o < input.length; o += SEGMENT, i++) {
    const cipher = createCipheriv('aes-256-gcm', key, nonce(i));
    out += feed(cipher, input.subarray(o, o + SEGMENT)) + cipher.final().length;
    cipher.getAuthTag();
  }
  return out;
}

/** Segments and tags sealed like {@link gcmSeal}, kept to time {@link gcmOpen}. */
export interface GcmSealed {
  readonly segments: readonly Buffer[];
  readonly tags: readonly Buffer[];
}

/** Seals `input` like {@link gcmSeal} and keeps the result (untimed preparation). */
export function gcmSealKeep(input: Uint8Array, key: Uint8Array): GcmSealed {
  const segments: Buffer[] = [];
  const tags: Buffer[] = [];
  for (let o = 0, i = 0; o < input.length; o += SEGMENT, i++) {
    const cipher = createCipheriv('aes-256-gcm', key, nonce(i));
    segments.push(Buffer.concat([cipher.update(input.subarray(o, o + SEGMENT)), cipher.final()]));
    tags.push(cipher.getAuthTag());
  }
  return { segments, tags };
}

/** The decryption ceiling: each segment fed 64 KiB at a time, its tag checked (throws if wrong). */
export function gcmOpen(sealed: GcmSealed, key: Uint8Array): number {
  let out = 0;
  sealed.segments.forEach((segment, i) => {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce(i));
    decipher.setAuthTag(sealed.tags[i] as Buffer);
    out += feed(decipher, segment) + decipher.final().length;
  });
  return out;
}
