import { StorageError, type StorageErrorCode } from '@sealstream/storage';
import { AZURE_BLOB_DRIVER } from './parseAzureBlobUri.ts';

const UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'REQUEST_SEND_ERROR',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/**
 * Maps an @azure/storage-blob failure to a {@link StorageError}: 404 → `ERR_STORAGE_NOT_FOUND`;
 * 409 `BlobAlreadyExists` and 412 (conditional create lost) → `ERR_STORAGE_EXISTS` (Azurite and,
 * per reports, Azure answer 409 where the REST docs say 412); 401/403 → `ERR_STORAGE_ACCESS_DENIED`;
 * connection failures, 408, 429, 5xx (after the SDK's bounded retries) → `ERR_STORAGE_UNAVAILABLE`;
 * anything else → `ERR_STORAGE_IO`. The message holds the HTTP status and the service's error
 * code, never the SDK's message (it may echo a URL); the SDK error is the `cause`.
 *
 * @example
 * ```ts
 * import { mapAzureError } from '@sealstream/storage-azure';
 * const e = mapAzureError({ statusCode: 404, code: 'BlobNotFound' }, 'azure-blob://c/p?AZURE_ACCOUNT_NAME=a', 'LATEST', 'read');
 * console.log(e.code); // ERR_STORAGE_NOT_FOUND
 * ```
 */
export function mapAzureError(
  error: unknown,
  uri: string,
  key: string | undefined,
  op: string,
): StorageError {
  if (error instanceof StorageError) return error;
  const e = (error ?? {}) as {
    statusCode?: number;
    code?: string;
    name?: string;
    details?: { errorCode?: string };
  };
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const code = e.details?.errorCode ?? e.code;
  let kind: StorageErrorCode = 'ERR_STORAGE_IO';
  let what = 'failed';
  if (e.name === 'AbortError') {
    what = 'was aborted';
  } else if (status === 404) {
    kind = 'ERR_STORAGE_NOT_FOUND';
    what =
      code === 'ContainerNotFound' ? 'failed: the container does not exist' : 'failed: not found';
  } else if (status === 412 || (status === 409 && code === 'BlobAlreadyExists')) {
    kind = 'ERR_STORAGE_EXISTS';
    what = 'failed: the object already exists';
  } else if (status === 401 || status === 403) {
    kind = 'ERR_STORAGE_ACCESS_DENIED';
    what = 'was denied';
  } else if (
    status === undefined
      ? UNAVAILABLE.has(code ?? '')
      : status === 408 || status === 429 || status >= 500
  ) {
    kind = 'ERR_STORAGE_UNAVAILABLE';
    what = 'failed: the service is unavailable';
  }
  const detail = [status === undefined ? undefined : `HTTP ${status}`, code]
    .filter(Boolean)
    .join(' ');
  return new StorageError(kind, `${op} ${what}${detail ? ` (${detail})` : ''}`, {
    driver: AZURE_BLOB_DRIVER,
    uri,
    ...(key === undefined ? {} : { key }),
    cause: error,
  });
}
