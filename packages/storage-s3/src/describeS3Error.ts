import { StorageError } from '@sealstream/storage';
import { httpStorageError } from '@sealstream/storage/driver';
import { S3_DRIVER } from './parseS3Uri.ts';

const UNAVAILABLE_NAMES = new Set([
  'TimeoutError',
  'RequestTimeout',
  'SlowDown',
  'ServiceUnavailable',
  'Throttling',
  'ThrottlingException',
  'RequestTimeTooSkewed',
]);

/**
 * Maps an @aws-sdk/client-s3 (or lib-storage) failure to a {@link StorageError}: 404 →
 * `ERR_STORAGE_NOT_FOUND`; 412 `PreconditionFailed` (If-None-Match lost) →
 * `ERR_STORAGE_EXISTS`; 401/403 → `ERR_STORAGE_ACCESS_DENIED`; connection failures, timeouts,
 * throttling and 5xx (after the SDK's bounded retries) → `ERR_STORAGE_UNAVAILABLE`; anything
 * else → `ERR_STORAGE_IO`. The message holds the HTTP status and S3 error name only; the SDK error
 * is the `cause`.
 *
 * @example
 * ```ts
 * import { mapS3Error } from '@sealstream/storage-s3';
 * const e = mapS3Error({ name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } }, 's3://b/p', 'LATEST', 'read');
 * console.log(e.code); // ERR_STORAGE_NOT_FOUND
 * ```
 */
export function mapS3Error(
  error: unknown,
  uri: string,
  key: string | undefined,
  op: string,
): StorageError {
  if (error instanceof StorageError) return error;
  const e = (error ?? {}) as {
    name?: string;
    code?: string;
    $metadata?: { httpStatusCode?: number };
    cause?: { code?: string };
  };
  const name = e.name;
  const errno = e.code ?? e.cause?.code;
  return httpStorageError(
    {
      driver: S3_DRIVER,
      uri,
      key,
      op,
      status: e.$metadata?.httpStatusCode,
      errno,
      aborted: name === 'AbortError',
      notFound:
        name === 'NoSuchBucket'
          ? 'failed: the bucket does not exist'
          : name === 'NoSuchKey' || name === 'NotFound',
      exists: name === 'PreconditionFailed',
      unavailable: UNAVAILABLE_NAMES.has(name ?? ''),
      detail: [name && name !== 'Error' ? name : undefined, errno],
    },
    error,
  );
}
