const LABEL = new TextEncoder().encode('sealstream/dek-check/v1');

/**
 * The DEK check value stored in ENCRYPTION_INFO: the first 16 bytes of
 * HMAC-SHA256(DEK, "sealstream/dek-check/v1"). It lets a restorer tell at once that an
 * unwrapped key is the backup's key (a wrong key or passphrase is reported before any data is
 * read). It reveals nothing usable about a random 256-bit DEK.
 *
 * @example
 * ```ts
 * import { dekCheckValue } from '@sealstream/manifest';
 * const check = await dekCheckValue(crypto.getRandomValues(new Uint8Array(32)));
 * console.log(check.length); // 16
 * ```
 */
export async function dekCheckValue(dek: Uint8Array): Promise<Uint8Array> {
  if (!(dek instanceof Uint8Array) || dek.length !== 32) {
    throw new TypeError(`dekCheckValue: the data key must be 32 bytes, got ${dek?.length}`);
  }
  const key = await crypto.subtle.importKey(
    'raw',
    dek as Uint8Array<ArrayBuffer>,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, LABEL));
  return mac.subarray(0, 16);
}
