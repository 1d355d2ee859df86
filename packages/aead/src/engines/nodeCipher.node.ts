/// <reference types="node" />
import { createCipheriv, createDecipheriv, type KeyObject } from 'node:crypto';
import type { SealBatch } from '../AeadEngine.ts';
import { plain, splitTail } from './pieces.ts';

/**
 * AES-256-GCM on node:crypto, one message at a time: the code both the calling thread and the
 * worker threads of the node engine run.
 */

/**
 * Largest input of one `update()`. Its output is a fresh buffer of the same size: at 64 KiB the
 * allocator recycles freed heap memory, while a 1 MiB output is a new mmap that page-faults on
 * every 4 KiB (docs/decisions/0009-buffers-on-the-hot-path.md).
 */
const UPDATE_BYTES = 64 * 1024;

/** Feeds `pieces` to `cipher.update()` in views of at most {@link UPDATE_BYTES} (no copy); returns the outputs. */
function updateAll(
  cipher: { update(data: Uint8Array): Uint8Array },
  pieces: readonly Uint8Array[],
): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const p of pieces)
    for (let o = 0; o < p.length; o += UPDATE_BYTES)
      out.push(plain(cipher.update(p.subarray(o, o + UPDATE_BYTES))));
  return out;
}

/** Seals the concatenation of `plaintext`; returns the ciphertext pieces followed by the 16-byte tag. */
export function sealPieces(
  k: KeyObject | Uint8Array,
  nonce: Uint8Array,
  plaintext: readonly Uint8Array[],
  aad?: Uint8Array,
): Uint8Array[] {
  const c = createCipheriv('aes-256-gcm', k, nonce);
  if (aad !== undefined && aad.length > 0) c.setAAD(aad);
  const out = updateAll(c, plaintext);
  c.final();
  out.push(plain(c.getAuthTag()));
  return out;
}

/**
 * Opens the concatenation of `ciphertext` (ciphertext ‖ 16-byte tag). Returns the plaintext
 * pieces only after `final()` verified the tag; on failure zeroes them and returns null.
 */
export function openPieces(
  k: KeyObject | Uint8Array,
  nonce: Uint8Array,
  ciphertext: readonly Uint8Array[],
  aad?: Uint8Array,
): Uint8Array[] | null {
  const split = splitTail(ciphertext, 16);
  if (split === null) return null;
  const d = createDecipheriv('aes-256-gcm', k, nonce, { authTagLength: 16 });
  d.setAuthTag(split.tail);
  if (aad !== undefined && aad.length > 0) d.setAAD(aad);
  const out = updateAll(d, split.body);
  try {
    d.final();
  } catch {
    for (const p of out) p.fill(0);
    return null;
  }
  return out;
}

/**
 * Seals the messages of `batch` into `out`, one after the other from `out[0]` (ciphertext ‖
 * 16-byte tag each); throws RangeError when the batch is inconsistent or `out` is not exactly
 * its sealed size.
 */
export function sealEachInto(k: KeyObject | Uint8Array, out: Uint8Array, batch: SealBatch): void {
  checkBatch(out, batch);
  const { nonces, plaintexts, plaintextLengths, aads, aadLengths } = batch;
  let at = 0;
  let from = 0;
  let aadFrom = 0;
  for (let i = 0; i < plaintextLengths.length; i++) {
    const c = createCipheriv('aes-256-gcm', k, nonces.subarray(12 * i, 12 * i + 12));
    const aadLength = aadLengths[i] as number;
    if (aadLength > 0) c.setAAD(aads.subarray(aadFrom, aadFrom + aadLength));
    aadFrom += aadLength;
    const to = from + (plaintextLengths[i] as number);
    for (let o = from; o < to; o += UPDATE_BYTES) {
      const sealed = c.update(plaintexts.subarray(o, Math.min(to, o + UPDATE_BYTES)));
      out.set(sealed, at);
      at += sealed.length;
    }
    from = to;
    c.final();
    out.set(c.getAuthTag(), at);
    at += 16;
  }
}

/**
 * Checks a {@link SealBatch} against the `out` it is sealed into: a 12-byte nonce per message,
 * lengths that add up to the plaintexts and aads given, `out` exactly their sealed size.
 * Throws RangeError otherwise.
 */
export function checkBatch(out: Uint8Array, batch: SealBatch): void {
  const { nonces, plaintexts, plaintextLengths, aads, aadLengths } = batch;
  const n = plaintextLengths.length;
  const sum = (a: Uint32Array) => a.reduce((x, y) => x + y, 0);
  if (aadLengths.length !== n || nonces.length !== 12 * n)
    throw new RangeError('sealEach: one 12-byte nonce and one aad length per message');
  if (sum(plaintextLengths) !== plaintexts.length || sum(aadLengths) !== aads.length)
    throw new RangeError('sealEach: the lengths do not add up to the bytes given');
  if (plaintexts.length + 16 * n !== out.length)
    throw new RangeError(
      `sealEach: the messages seal to ${plaintexts.length + 16 * n} bytes, out holds ${out.length}`,
    );
}
