/**
 * True when `name` is a safe relative object name: `/`-separated, not absolute, no empty, `.`
 * or `..` segment, no NUL, at most 4096 characters.
 *
 * @example
 * ```ts
 * import { isSafeObjectName } from '@sealstream/manifest';
 * console.log(isSafeObjectName('docs/a.txt'), isSafeObjectName('../etc/passwd')); // true false
 * ```
 */
export function isSafeObjectName(name: string): boolean {
  if (name.length === 0 || name.length > 4096 || name.startsWith('/') || name.includes('\0'))
    return false;
  return name.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}
