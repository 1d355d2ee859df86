import { assertKey } from './assertKey.ts';
import { StorageError } from './StorageError.ts';

/** The pieces every cloud driver's URI parser reads its URI with; see {@link storageUriParts}. */
export interface StorageUriParts {
  /** Throws `ERR_STORAGE_BAD_URI` with `message`, naming the driver and the URI (redacted). */
  fail: (message: string) => never;
  /** `text` percent-decoded, or a failure saying that `what` is not valid percent-encoding. */
  decode: (text: string, what: string) => string;
  /** The URI's path, decoded, without leading or trailing slashes, checked as an object key. */
  prefix: () => string;
}

/**
 * The failure, percent-decoding and prefix of a cloud driver's storage URI, shared by the S3, GCS
 * and Azure parsers so that they refuse a URI alike.
 *
 * @example
 * ```ts
 * import { storageUriParts } from '@sealstream/storage/driver';
 * const { decode, prefix } = storageUriParts(new URL('s3://bucket/a/b/'), 's3');
 * console.log(decode('bucket', 'the bucket name'), prefix()); // bucket a/b
 * ```
 */
export function storageUriParts(url: URL, driver: string): StorageUriParts {
  const fail = (message: string): never => {
    throw new StorageError('ERR_STORAGE_BAD_URI', message, { driver, uri: url.href });
  };
  const decode = (text: string, what: string): string => {
    try {
      return decodeURIComponent(text);
    } catch {
      return fail(`${what} is not valid percent-encoding`);
    }
  };
  const prefix = (): string => {
    const p = decode(url.pathname, 'the prefix').replace(/^\/+|\/+$/g, '');
    if (p !== '') {
      try {
        assertKey(p, 'prefix');
      } catch (e) {
        fail((e as Error).message);
      }
    }
    return p;
  };
  return { fail, decode, prefix };
}
