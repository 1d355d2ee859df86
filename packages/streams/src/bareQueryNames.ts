/**
 * The names of the parts of `url`'s query written without `=` (`?CREDENTIALS&REGION=x` gives
 * `CREDENTIALS`), decoded as `URLSearchParams` does. `URLSearchParams` reads such a part as a name
 * with an empty value; URI checkers use this to tell `NAME` from `NAME=`.
 *
 * @example
 * ```ts
 * import { bareQueryNames } from '@sealstream/streams';
 * console.log([...bareQueryNames(new URL('s3://b/p?CREDENTIALS&REGION=x&A%5FB'))]); // [ 'CREDENTIALS', 'A_B' ]
 * ```
 */
export function bareQueryNames(url: URL): Set<string> {
  const names = new Set<string>();
  for (const part of url.search.slice(1).split('&')) {
    if (part !== '' && !part.includes('='))
      for (const [n] of new URLSearchParams(`&${part}`)) names.add(n);
  }
  return names;
}
