/**
 * The canonical JSON text of a JSON value (RFC 8785, the JSON Canonicalization Scheme, for the
 * values this package stores): no whitespace, object members sorted by their names' UTF-16 code
 * units, strings and numbers written as ECMAScript's `JSON.stringify` writes them. Two equal
 * values always give the same text, whatever order or spacing they were parsed from — so a MAC
 * over it authenticates the value, not one way of writing it.
 *
 * `value` must be plain JSON data (what `JSON.parse` returns): objects, arrays, strings, finite
 * numbers, booleans and null.
 *
 * @example
 * ```ts
 * import { canonicalJson } from '@sealstream/manifest';
 * console.log(canonicalJson({ b: [1, 'x'], a: { d: null, c: true } })); // {"a":{"c":true,"d":null},"b":[1,"x"]}
 * ```
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonicalJson: numbers must be finite');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const names = Object.keys(record).sort();
    return `{${names.map((n) => `${JSON.stringify(n)}:${canonicalJson(record[n])}`).join(',')}}`;
  }
  throw new TypeError(`canonicalJson: ${typeof value} is not JSON data`);
}
