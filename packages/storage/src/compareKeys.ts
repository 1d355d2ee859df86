/**
 * Orders keys the way object stores list them: by Unicode code point, which is the order of
 * their UTF-8 bytes (plain `<` on JS strings differs for characters above U+FFFF).
 *
 * @example
 * ```ts
 * import { compareKeys } from '@sealstream/storage/driver';
 * console.log(['b', 'a/c', 'a-c'].sort(compareKeys)); // ['a-c', 'a/c', 'b']
 * ```
 */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i) as number;
    const y = b.codePointAt(i) as number;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}
