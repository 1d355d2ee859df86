import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';

/**
 * The HKDF `info` of the gear table: a change of the table derivation is a new label.
 *
 * @example
 * ```ts
 * import { GEAR_TABLE_LABEL } from './gearTable.ts';
 * console.assert(new TextEncoder().encode(GEAR_TABLE_LABEL).length === 22);
 * ```
 */
export const GEAR_TABLE_LABEL = 'sealstream/cdc-gear/v1';

/**
 * The length in bytes of a chunker key.
 *
 * @example
 * ```ts
 * import { GEAR_KEY_LENGTH, gearTable } from './gearTable.ts';
 * console.assert(gearTable(new Uint8Array(GEAR_KEY_LENGTH)).length === 256);
 * ```
 */
export const GEAR_KEY_LENGTH = 32;

/**
 * Derives the 256-entry gear table of the content-defined chunker from a 32-byte secret key
 * (docs/CHUNKING.md §2):
 *
 * `okm = HKDF-SHA256(ikm = key, salt = "" , info = "sealstream/cdc-gear/v1", L = 1024)`
 * (RFC 5869; the empty salt means 32 zero bytes), and entry `i` is the big-endian unsigned 32-bit
 * integer `okm[4i .. 4i + 4)`.
 *
 * The entries are returned as an `Int32Array` (the same 32 bits, read as signed): the chunker's
 * hot loop then stays in 32-bit integer arithmetic. Read an entry as unsigned with `>>> 0`.
 *
 * @param key - the chunker key, 32 bytes (derived by the caller from its own root key).
 * @returns a fresh table of 256 entries.
 *
 * @example
 * ```ts
 * import { gearTable } from './gearTable.ts';
 * const table = gearTable(new Uint8Array(32));
 * console.assert(table.length === 256);
 * console.assert(table[0] !== gearTable(new Uint8Array(32).fill(1))[0]);
 * ```
 */
export function gearTable(key: Uint8Array): Int32Array {
  if (!(key instanceof Uint8Array)) {
    throw new TypeError('Cannot derive gear table as key must be a Uint8Array');
  }
  if (key.length !== GEAR_KEY_LENGTH) {
    throw new RangeError(
      `Cannot derive gear table as key must be ${GEAR_KEY_LENGTH} bytes: received ${key.length} bytes`,
    );
  }
  const okm = hkdf(
    sha256,
    key,
    new Uint8Array(0),
    new TextEncoder().encode(GEAR_TABLE_LABEL),
    1024,
  );
  const view = new DataView(okm.buffer, okm.byteOffset, okm.byteLength);
  const table = new Int32Array(256);
  for (let i = 0; i < 256; i++) table[i] = view.getInt32(4 * i, false);
  okm.fill(0);
  return table;
}
