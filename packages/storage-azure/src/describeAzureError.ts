import { StorageError } from '@sealstream/storage';
import { httpStorageError } from '@sealstream/storage/driver';
import { AZURE_BLOB_DRIVER } from './parseAzureBlobUri.ts';

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
  return httpStorageError(
    {
      driver: AZURE_BLOB_DRIVER,
      uri,
      key,
      op,
      status,
      // Without an answer, the SDK's code is a connection error (REQUEST_SEND_ERROR, ECONNRESET, …).
      errno: status === undefined ? code : undefined,
      aborted: e.name === 'AbortError',
      notFound:
        status === 404 && code === 'ContainerNotFound'
          ? 'failed: the container does not exist'
          : false,
      exists: status === 409 && code === 'BlobAlreadyExists',
      detail: [code],
    },
    error,
  );
}
