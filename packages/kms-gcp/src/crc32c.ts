const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/**
 * CRC32C (Castagnoli), the checksum Cloud KMS uses for its request/response integrity fields.
 * An integrity check against transport corruption, not a cryptographic primitive.
 *
 * @example
 * ```ts
 * import { crc32c } from './crc32c.ts';
 * console.log(crc32c(new TextEncoder().encode('123456789')).toString(16)); // e3069283
 * ```
 */
export function crc32c(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of data) c = (TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
