/**
 * Guard at the door of every wrap: a data key is a 32-byte `Uint8Array`. Throws a `RangeError`
 * naming `label` (a redacted URI) and the length received — never the bytes.
 *
 * @example
 * ```ts
 * import { checkDek } from '@sealstream/kms';
 * checkDek(new Uint8Array(32), 'local-kms:///k'); // passes
 * ```
 */
export function checkDek(dek: Uint8Array, label: string): void {
  if (!(dek instanceof Uint8Array) || dek.length !== 32) {
    throw new RangeError(
      `${label}: the data key must be 32 bytes, received ${dek instanceof Uint8Array ? `${dek.length} bytes` : typeof dek}`,
    );
  }
}
