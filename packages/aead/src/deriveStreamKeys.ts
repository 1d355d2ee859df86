import { sha256 } from '@noble/hashes/sha2.js';
import type { AeadEngine } from './AeadEngine.ts';
import {
  COMMITMENT_SIZE,
  HKDF_LABEL,
  KEY_SIZE,
  OFFSET_COMMITMENT,
  OFFSET_SALT,
  SALT_SIZE,
} from './format.ts';

/**
 * HKDF-SHA256 (RFC 5869) with IKM = DEK, salt = the header's salt and
 * info = "sealstream/aead/v1" ‖ 0x00 ‖ header[0, 52) ‖ SHA-256(associatedData) (103 bytes),
 * output 64 bytes: the first 32 are the stream's AES-256-GCM key, the last 32 its key commitment.
 * The associated data is hashed so that it may be of any length (Node caps HKDF info at 1024 bytes).
 */
export async function deriveStreamKeys(
  engine: AeadEngine,
  dek: Uint8Array,
  header: Uint8Array,
  associatedData: Uint8Array,
): Promise<{ streamKey: Uint8Array; commitment: Uint8Array }> {
  const info = new Uint8Array(HKDF_LABEL.length + 1 + OFFSET_COMMITMENT + 32);
  info.set(HKDF_LABEL, 0);
  info.set(header.subarray(0, OFFSET_COMMITMENT), HKDF_LABEL.length + 1);
  info.set(sha256(associatedData), HKDF_LABEL.length + 1 + OFFSET_COMMITMENT);
  const salt = header.subarray(OFFSET_SALT, OFFSET_SALT + SALT_SIZE);
  const okm = await engine.hkdf(dek, salt, info, KEY_SIZE + COMMITMENT_SIZE);
  return {
    streamKey: okm.subarray(0, KEY_SIZE),
    commitment: okm.subarray(KEY_SIZE, KEY_SIZE + COMMITMENT_SIZE),
  };
}
