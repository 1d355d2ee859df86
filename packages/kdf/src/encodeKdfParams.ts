import { encodeBase64 } from '@sealstream/streams';
import { checkKdfParams } from './checkKdfParams.ts';
import type { KdfParams } from './KdfParams.ts';

/**
 * Serialises parameters to a JSON-safe object with a fixed field order; the salt becomes standard
 * padded base64. Only structure is checked (no bounds), so anything valid can be written down.
 * {@link decodeKdfParams} reverses it.
 *
 * @example
 * ```ts
 * import { encodeKdfParams } from '@sealstream/kdf';
 * const json = encodeKdfParams({ algorithm: 'pbkdf2-sha256', iterations: 600_000, salt: new Uint8Array(16) });
 * console.log(JSON.stringify(json)); // {"algorithm":"pbkdf2-sha256","iterations":600000,"salt":"AAAAAAAAAAAAAAAAAAAAAA=="}
 * ```
 */
export function encodeKdfParams(params: KdfParams): Record<string, string | number> {
  const p = checkKdfParams(params, {
    maxArgon2MemoryKiB: Number.MAX_SAFE_INTEGER,
    maxArgon2Iterations: Number.MAX_SAFE_INTEGER,
    maxArgon2Parallelism: Number.MAX_SAFE_INTEGER,
    maxPbkdf2Iterations: Number.MAX_SAFE_INTEGER,
    minSaltBytes: 0,
    maxSaltBytes: Number.MAX_SAFE_INTEGER,
  });
  if (p.algorithm === 'argon2id') {
    return {
      algorithm: p.algorithm,
      memoryKiB: p.memoryKiB,
      iterations: p.iterations,
      parallelism: p.parallelism,
      salt: encodeBase64(p.salt),
    };
  }
  return { algorithm: p.algorithm, iterations: p.iterations, salt: encodeBase64(p.salt) };
}
