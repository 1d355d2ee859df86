import { StorageError, type StorageErrorCode } from './StorageError.ts';

/** Connection-level error codes (Node errnos and SDK equivalents) that mean "try again later". */
export const NETWORK_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ECONNABORTED',
  'REQUEST_SEND_ERROR',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/** What a driver reads off a failed SDK call, for {@link httpStorageError}. */
export interface DriverFailure {
  /** The HTTP status, when the request got an answer. */
  status?: number | undefined;
  /** A connection-level code, checked against {@link NETWORK_ERROR_CODES}. */
  errno?: string | undefined;
  aborted?: boolean;
  /**
   * Not found although the status does not say 404 (an SDK error name). A string replaces "not
   * found" in the message and means the bucket or container is missing, not the object.
   */
  notFound?: boolean | string;
  /** The object exists although the status does not say 412 (a 409 or an error name). */
  exists?: boolean;
  /** Transient although neither status nor errno says so (throttling names, SDK timeouts). */
  unavailable?: boolean;
  /** Codes and names for the message after the status; never the SDK's message (it may echo a URL). */
  detail?: readonly (string | undefined)[];
}

/** A {@link DriverFailure} with where it happened. */
export interface HttpFailure extends DriverFailure {
  driver: string;
  uri: string;
  key: string | undefined;
  /** The operation, first word of the message: `read`, `write`, `list "a/"`, … */
  op: string;
}

/**
 * The one classification every cloud driver applies to a failed request: 404 →
 * `ERR_STORAGE_NOT_FOUND`; 412 → `ERR_STORAGE_EXISTS`; 401/403 → `ERR_STORAGE_ACCESS_DENIED`;
 * 408, 429, 5xx and connection failures → `ERR_STORAGE_UNAVAILABLE`; anything else (and an
 * abort) → `ERR_STORAGE_IO`. The message holds the operation, the HTTP status and the given
 * codes; the SDK error is the `cause`.
 *
 * @example
 * ```ts
 * import { httpStorageError } from './httpStorageError.ts';
 * const e = httpStorageError({ driver: 's3', uri: 's3://b', key: 'k', op: 'read', status: 503 }, {});
 * console.log(e.code, e.message); // ERR_STORAGE_UNAVAILABLE read failed: the service is unavailable (HTTP 503)
 * ```
 */
export function httpStorageError(failure: HttpFailure, cause: unknown): StorageError {
  const { status, errno } = failure;
  let kind: StorageErrorCode = 'ERR_STORAGE_IO';
  let what = 'failed';
  if (failure.aborted) {
    what = 'was aborted';
  } else if (status === 404 || failure.notFound) {
    kind = 'ERR_STORAGE_NOT_FOUND';
    what = typeof failure.notFound === 'string' ? failure.notFound : 'failed: not found';
  } else if (status === 412 || failure.exists) {
    kind = 'ERR_STORAGE_EXISTS';
    what = 'failed: the object already exists';
  } else if (status === 401 || status === 403) {
    kind = 'ERR_STORAGE_ACCESS_DENIED';
    what = 'was denied';
  } else if (
    (status !== undefined && (status === 408 || status === 429 || status >= 500)) ||
    NETWORK_ERROR_CODES.has(errno ?? '') ||
    failure.unavailable
  ) {
    kind = 'ERR_STORAGE_UNAVAILABLE';
    what = 'failed: the service is unavailable';
  }
  const detail = [status === undefined ? undefined : `HTTP ${status}`, ...(failure.detail ?? [])]
    .filter(Boolean)
    .join(' ');
  return new StorageError(kind, `${failure.op} ${what}${detail ? ` (${detail})` : ''}`, {
    driver: failure.driver,
    uri: failure.uri,
    ...(failure.key === undefined ? {} : { key: failure.key }),
    cause,
  });
}
