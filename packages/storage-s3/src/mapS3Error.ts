import { StorageError, type StorageErrorCode } from '@sealstream/storage';
import { S3_DRIVER } from './parseS3Uri.ts';

const UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ECONNABORTED',
  'ERR_STREAM_PREMATURE_CLOSE',
]);
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
  const status = e.$metadata?.httpStatusCode;
  const name = e.name;
  const errno = e.code ?? e.cause?.code;
  let kind: StorageErrorCode = 'ERR_STORAGE_IO';
  let what = 'failed';
  if (name === 'AbortError') {
    what = 'was aborted';
  } else if (
    status === 404 ||
    name === 'NoSuchKey' ||
    name === 'NotFound' ||
    name === 'NoSuchBucket'
  ) {
    kind = 'ERR_STORAGE_NOT_FOUND';
    what = name === 'NoSuchBucket' ? 'failed: the bucket does not exist' : 'failed: not found';
  } else if (status === 412 || name === 'PreconditionFailed') {
    kind = 'ERR_STORAGE_EXISTS';
    what = 'failed: the object already exists';
  } else if (status === 401 || status === 403) {
    kind = 'ERR_STORAGE_ACCESS_DENIED';
    what = 'was denied';
  } else if (
    (status !== undefined && (status === 408 || status === 429 || status >= 500)) ||
    UNAVAILABLE.has(errno ?? '') ||
    UNAVAILABLE_NAMES.has(name ?? '')
  ) {
    kind = 'ERR_STORAGE_UNAVAILABLE';
    what = 'failed: the service is unavailable';
  }
  const detail = [
    status === undefined ? undefined : `HTTP ${status}`,
    name && name !== 'Error' ? name : undefined,
    errno,
  ]
    .filter(Boolean)
    .join(' ');
  return new StorageError(kind, `${op} ${what}${detail ? ` (${detail})` : ''}`, {
    driver: S3_DRIVER,
    uri,
    ...(key === undefined ? {} : { key }),
    cause: error,
  });
}
