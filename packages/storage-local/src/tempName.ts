import { randomBytes } from 'node:crypto';

const TEMP_RE = /^\..+\.tmp-[0-9a-f]{16}$/;

/**
 * The temporary name an object is written under before its rename: `.<name>.tmp-<16 hex>`, in
 * the same directory. Names of this shape are reserved: never listed, never read.
 *
 * @example
 * ```ts
 * import { isTempName, tempName } from './tempName.ts';
 * console.log(isTempName(tempName('LATEST'))); // true
 * ```
 */
export function tempName(name: string): string {
  return `.${name}.tmp-${randomBytes(8).toString('hex')}`;
}

/**
 * True for names made by {@link tempName} (left behind by a crash, or a write in progress).
 *
 * @example
 * ```ts
 * import { isTempName } from './tempName.ts';
 * console.log(isTempName('.LATEST.tmp-0123456789abcdef'), isTempName('LATEST')); // true false
 * ```
 */
export function isTempName(name: string): boolean {
  return TEMP_RE.test(name);
}
