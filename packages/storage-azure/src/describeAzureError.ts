import type { DriverFailure } from '@sealstream/storage/driver';

/**
 * Reads an @azure/storage-blob failure for the driver's error mapping: the HTTP status and the
 * service's error code; without an answer, that code is a connection error (`REQUEST_SEND_ERROR`,
 * `ECONNRESET`, …). 404 `ContainerNotFound` names a missing container; 409 `BlobAlreadyExists`
 * means the object exists, like 412 (Azurite and, per reports, Azure answer 409 where the REST
 * docs say 412). The message gets the code only, never the SDK's message (it may echo a URL); the
 * SDK error stays the `cause`.
 *
 * @example
 * ```ts
 * import { describeAzureError } from './describeAzureError.ts';
 * console.log(describeAzureError({ statusCode: 404, code: 'BlobNotFound' }).status); // 404
 * ```
 */
export function describeAzureError(error: unknown): DriverFailure {
  const e = (error ?? {}) as {
    statusCode?: number;
    code?: string;
    name?: string;
    details?: { errorCode?: string };
  };
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const code = e.details?.errorCode ?? e.code;
  return {
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
  };
}
