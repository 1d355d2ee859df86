/**
 * Joins a driver's root prefix (from its URI, e.g. `backups/prod` or `''`) and a key with a
 * single `/`. Leading and trailing slashes of the prefix are ignored.
 *
 * @example
 * ```ts
 * import { joinKey } from './joinKey.ts';
 * console.log(joinKey('/backups/prod/', 'LATEST')); // backups/prod/LATEST
 * console.log(joinKey('', 'LATEST')); // LATEST
 * ```
 */
export function joinKey(prefix: string, key: string): string {
  const p = prefix.replace(/^\/+|\/+$/g, '');
  return p === '' ? key : key === '' ? `${p}/` : `${p}/${key}`;
}
