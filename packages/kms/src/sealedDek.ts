import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { KmsError } from './KmsError.ts';

/** Version byte of the sealed-DEK blob. */
const VERSION = 1;
/** Length of the key id inside the blob. */
export const KEY_ID_BYTES = 16;
const NONCE_BYTES = 12;
const HEADER_BYTES = 1 + KEY_ID_BYTES;
const DEK_BYTES = 32;
const TAG_BYTES = 16;
/** Total length of a sealed DEK: version, key id, nonce, ciphertext, tag. */
export const SEALED_DEK_BYTES = HEADER_BYTES + NONCE_BYTES + DEK_BYTES + TAG_BYTES;

const encoder = new TextEncoder();

/**
 * The public id of 32 bytes of key material: the first 16 bytes of
 * HKDF-SHA256(ikm = material, salt = none, info = "sealstream/kek-id/v1"). One-way: it reveals
 * nothing about a high-entropy key, and for a passphrase it costs a full KDF per guess, exactly
 * like the wrapped blob it sits in.
 */
export function keyIdOf(material: Uint8Array): Uint8Array {
  return hkdf(sha256, material, undefined, encoder.encode('sealstream/kek-id/v1'), KEY_ID_BYTES);
}

async function aesKey(material: Uint8Array): Promise<CryptoKey> {
  const raw = hkdf(sha256, material, undefined, encoder.encode('sealstream/kek/v1'), 32);
  try {
    return await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
  } finally {
    raw.fill(0);
  }
}

function aad(
  domain: string,
  header: Uint8Array,
  context: Uint8Array | undefined,
): Uint8Array<ArrayBuffer> {
  const d = encoder.encode(domain);
  const ctx = context ?? new Uint8Array(0);
  const out = new Uint8Array(d.length + 1 + header.length + ctx.length);
  out.set(d, 0);
  out.set(header, d.length + 1);
  out.set(ctx, d.length + 1 + header.length);
  return out;
}

/**
 * Seals a 32-byte DEK under key material with AES-256-GCM (WebCrypto). Blob (77 bytes):
 * `0x01 ‖ keyId(16) ‖ nonce(12) ‖ ciphertext(32) ‖ tag(16)`; the AES key is
 * HKDF-SHA256(material, info "sealstream/kek/v1"); the associated data is
 * `domain ‖ 0x00 ‖ 0x01 ‖ keyId ‖ context`, binding the blob to its provider and its context.
 * Internal to the local-kms and passphrase wrappers.
 */
export async function sealDek(
  material: Uint8Array,
  dek: Uint8Array,
  domain: string,
  context?: Uint8Array,
): Promise<Uint8Array> {
  const out = new Uint8Array(SEALED_DEK_BYTES);
  out[0] = VERSION;
  out.set(keyIdOf(material), 1);
  const nonce = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
  out.set(nonce, HEADER_BYTES);
  const key = await aesKey(material);
  const sealed = await crypto.subtle.encrypt(
    {
      name: 'AES-GCM',
      iv: nonce,
      additionalData: aad(domain, out.subarray(0, HEADER_BYTES), context),
    },
    key,
    new Uint8Array(dek),
  );
  out.set(new Uint8Array(sealed), HEADER_BYTES + NONCE_BYTES);
  return out;
}

/**
 * Opens a blob made by {@link sealDek}. Errors name `label` (a redacted URI) only:
 * `ERR_KMS_BAD_WRAPPED_KEY` for a malformed blob or a failed tag under the right key (tampered,
 * or another context); `ERR_KMS_WRONG_KEY` when the blob's key id is not this key's.
 */
export async function openDek(
  material: Uint8Array,
  blob: Uint8Array,
  domain: string,
  label: string,
  context?: Uint8Array,
): Promise<Uint8Array> {
  if (!(blob instanceof Uint8Array) || blob.length !== SEALED_DEK_BYTES || blob[0] !== VERSION) {
    const what = !(blob instanceof Uint8Array)
      ? 'not bytes'
      : blob.length !== SEALED_DEK_BYTES
        ? `${blob.length} bytes instead of ${SEALED_DEK_BYTES}`
        : `unknown version ${blob[0]}`;
    throw new KmsError('ERR_KMS_BAD_WRAPPED_KEY', `${label}: malformed wrapped key (${what})`);
  }
  const id = keyIdOf(material);
  const claimed = blob.subarray(1, HEADER_BYTES);
  if (!id.every((b, i) => b === claimed[i])) {
    throw new KmsError('ERR_KMS_WRONG_KEY', `${label}: the data key was wrapped by another key`);
  }
  const key = await aesKey(material);
  try {
    const dek = await crypto.subtle.decrypt(
      {
        name: 'AES-GCM',
        iv: blob.slice(HEADER_BYTES, HEADER_BYTES + NONCE_BYTES),
        additionalData: aad(domain, blob.subarray(0, HEADER_BYTES), context),
      },
      key,
      blob.slice(HEADER_BYTES + NONCE_BYTES),
    );
    return new Uint8Array(dek);
  } catch (cause) {
    throw new KmsError(
      'ERR_KMS_BAD_WRAPPED_KEY',
      `${label}: the wrapped key fails authentication (tampered, or wrapped for another backup context)`,
      { cause },
    );
  }
}
