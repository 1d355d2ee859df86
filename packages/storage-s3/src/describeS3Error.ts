import type { DriverFailure } from '@sealstream/storage/driver';

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
 * Reads an @aws-sdk/client-s3 (or lib-storage) failure for the driver's error mapping: the HTTP
 * status and the connection code; `NoSuchKey`/`NotFound` mean not found and `NoSuchBucket` a
 * missing bucket; `PreconditionFailed` (If-None-Match lost) means the object exists; timeouts and
 * throttling names are transient. The message gets the S3 error name and the code only; the SDK
 * error stays the `cause`.
 *
 * @example
 * ```ts
 * import { describeS3Error } from './describeS3Error.ts';
 * console.log(describeS3Error({ name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } }).status); // 404
 * ```
 */
export function describeS3Error(error: unknown): DriverFailure {
  const e = (error ?? {}) as {
    name?: string;
    code?: string;
    $metadata?: { httpStatusCode?: number };
    cause?: { code?: string };
  };
  const name = e.name;
  const errno = e.code ?? e.cause?.code;
  return {
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
  };
}
