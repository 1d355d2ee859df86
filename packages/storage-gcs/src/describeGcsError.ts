import { StorageError } from '@sealstream/storage';
import { httpStorageError } from '@sealstream/storage/driver';
import { GCS_DRIVER } from './parseGcsUri.ts';

/** The HTTP status of a @google-cloud/storage (ApiError / GaxiosError) failure, when it has one. */
export function gcsStatus(error: unknown): number | undefined {
  const e = (error ?? {}) as { code?: unknown; status?: unknown; response?: { status?: unknown } };
  for (const v of [e.code, e.status, e.response?.status]) if (typeof v === 'number') return v;
  return undefined;
}

/**
 * Maps a @google-cloud/storage failure to a {@link StorageError}: 404 → `ERR_STORAGE_NOT_FOUND`;
 * 412 (`ifGenerationMatch: 0` lost) → `ERR_STORAGE_EXISTS`; 401/403 →
 * `ERR_STORAGE_ACCESS_DENIED`; connection failures, 408, 429, 5xx (after the SDK's bounded
 * retries) → `ERR_STORAGE_UNAVAILABLE`; anything else → `ERR_STORAGE_IO`. The message holds the
 * HTTP status or error code only; the SDK error is the `cause`.
 *
 * @example
 * ```ts
 * import { mapGcsError } from '@sealstream/storage-gcs';
 * console.log(mapGcsError({ code: 404 }, 'gs://b/p?AUTH=implicit', 'LATEST', 'read').code); // ERR_STORAGE_NOT_FOUND
 * ```
 */
export function mapGcsError(
  error: unknown,
  uri: string,
  key: string | undefined,
  op: string,
): StorageError {
  if (error instanceof StorageError) return error;
  const e = (error ?? {}) as { code?: unknown; name?: string; cause?: { code?: string } };
  const status = gcsStatus(error);
  // The resumable upload gives up with a plain Error("Retry limit exceeded - … code: ECONNRESET").
  const fromMessage =
    error instanceof Error
      ? /\b(E[A-Z]{4,}|Retry limit exceeded)\b/.exec(error.message)?.[1]
      : undefined;
  const errno =
    typeof e.code === 'string'
      ? e.code
      : (e.cause?.code ?? (fromMessage === 'Retry limit exceeded' ? 'ECONNRESET' : fromMessage));
  return httpStorageError(
    {
      driver: GCS_DRIVER,
      uri,
      key,
      op,
      status,
      errno,
      aborted: e.name === 'AbortError',
      detail: [errno],
    },
    error,
  );
}
