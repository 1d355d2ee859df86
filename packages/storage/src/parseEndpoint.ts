/**
 * Checks an endpoint URI parameter (`AWS_ENDPOINT`, `GCS_ENDPOINT`, `AZURE_BLOB_ENDPOINT`):
 * an http(s) URL without query, fragment or user info. Returns it without trailing slashes;
 * anything else goes to `fail` with a message naming `param`.
 *
 * @example
 * ```ts
 * import { parseEndpoint } from '@sealstream/storage/driver';
 * const fail = (m: string): never => { throw new Error(m); };
 * console.log(parseEndpoint('http://127.0.0.1:9000/', 'AWS_ENDPOINT', fail)); // http://127.0.0.1:9000
 * ```
 */
export function parseEndpoint(
  value: string,
  param: string,
  fail: (message: string) => never,
): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail(`${param} is not a URL`);
  }
  if (
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.search ||
    url.hash ||
    url.username ||
    url.password
  )
    fail(`${param} must be an http(s) URL without query, fragment or user info`);
  return url.href.replace(/\/+$/, '');
}
