/**
 * Guards an object key: a non-empty string of `/`-separated segments, relative (no leading
 * `/`), with no empty segment (`a//b`, trailing `/`), no `.` or `..` segment, no backslash and no
 * NUL or other control character. Drivers call it at the door of every method.
 *
 * @throws {TypeError} with a message naming the rule the key breaks
 *
 * @example
 * ```ts
 * import { assertKey } from '@sealstream/storage/driver';
 * assertKey('2026/11/28-010203.00/data/1.sst'); // ok
 * try { assertKey('../etc/passwd'); } catch (e) { console.log((e as Error).message); }
 * ```
 */
export function assertKey(key: unknown, what = 'key'): asserts key is string {
  if (typeof key !== 'string')
    throw new TypeError(`Invalid storage ${what}: expected a string, received ${typeof key}`);
  if (key === '') throw new TypeError(`Invalid storage ${what}: must not be empty`);
  if (key.startsWith('/'))
    throw new TypeError(
      `Invalid storage ${what} ${JSON.stringify(key)}: must be relative (no leading "/")`,
    );
  assertSegments(key, what, false);
}

/**
 * Guards a `list` prefix: `''` (everything) or a key-like string that may end with `/` and whose
 * last segment may be partial (`2026/11/2` matches `2026/11/28/…`).
 *
 * @throws {TypeError} naming the rule the prefix breaks
 *
 * @example
 * ```ts
 * import { assertListPrefix } from '@sealstream/storage/driver';
 * assertListPrefix(''); assertListPrefix('data/'); assertListPrefix('data/2026-');
 * ```
 */
export function assertListPrefix(prefix: unknown): asserts prefix is string {
  if (typeof prefix !== 'string')
    throw new TypeError(`Invalid list prefix: expected a string, received ${typeof prefix}`);
  if (prefix === '') return;
  if (prefix.startsWith('/'))
    throw new TypeError(
      `Invalid list prefix ${JSON.stringify(prefix)}: must be relative (no leading "/")`,
    );
  assertSegments(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix, 'list prefix', true);
}

function assertSegments(value: string, what: string, partialLast: boolean): void {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\u0000-\u001f\u007f\\]/.test(value)) {
    throw new TypeError(
      `Invalid storage ${what} ${JSON.stringify(value)}: must not contain control characters or "\\"`,
    );
  }
  const segments = value.split('/');
  segments.forEach((segment, i) => {
    if (segment === '')
      throw new TypeError(`Invalid storage ${what} ${JSON.stringify(value)}: empty path segment`);
    if (
      (segment === '.' || segment === '..') &&
      !(partialLast && i === segments.length - 1 && segment === '.')
    ) {
      throw new TypeError(
        `Invalid storage ${what} ${JSON.stringify(value)}: "${segment}" segments are not allowed`,
      );
    }
  });
}
