import { bareQueryNames } from '@sealstream/streams';
import { LOCALITY_PARAM } from './localityOf.ts';
import { StorageError } from './StorageError.ts';

/**
 * Checks a storage URI's query parameters: every name must be in `allowed` (or be
 * `COCKROACH_LOCALITY`, which every driver accepts), each of `required` must be present and
 * non-empty, and no name may repeat. Returns the parameters as a plain object.
 *
 * @param url the parsed storage URI
 * @param allowed parameter names the driver understands
 * @param required parameter names that must be present
 * @param driver driver name for the error (default: the URI's scheme)
 * @throws {StorageError} `ERR_STORAGE_BAD_URI`, naming the offending parameter and the allowed ones
 *
 * @example
 * ```ts
 * import { checkStorageParams } from '@sealstream/storage/driver';
 * const params = checkStorageParams(new URL('s3://bucket/p?AWS_REGION=eu-west-1'), ['AWS_REGION', 'AWS_ENDPOINT'], ['AWS_REGION']);
 * console.log(params.AWS_REGION); // eu-west-1
 * ```
 */
export function checkStorageParams(
  url: URL,
  allowed: readonly string[],
  required: readonly string[] = [],
  driver: string = url.protocol.replace(/:$/, ''),
): Record<string, string> {
  const known = new Set([...allowed, ...required, LOCALITY_PARAM]);
  const params: Record<string, string> = {};
  const fail = (message: string): never => {
    throw new StorageError('ERR_STORAGE_BAD_URI', message, { driver, uri: url.href });
  };
  for (const [name, value] of url.searchParams) {
    if (!known.has(name)) {
      const list = [...known].sort().join(', ');
      // A bare word (no `=`) may be a pasted secret: redactStorageUri hides it, and so does this.
      if (bareQueryNames(url).has(name))
        fail(`unknown parameter without a value (not shown; allowed: ${list})`);
      fail(`unknown parameter "${name}" (allowed: ${list})`);
    }
    if (Object.hasOwn(params, name)) fail(`parameter "${name}" is given more than once`);
    params[name] = value;
  }
  for (const name of required) {
    if (!params[name]) fail(`missing required parameter "${name}"`);
  }
  return params;
}
