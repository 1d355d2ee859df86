import type { DriverFailure } from '@sealstream/storage/driver';

/** The HTTP status of a @google-cloud/storage (ApiError / GaxiosError) failure, when it has one. */
function gcsStatus(error: unknown): number | undefined {
  const e = (error ?? {}) as { code?: unknown; status?: unknown; response?: { status?: unknown } };
  for (const v of [e.code, e.status, e.response?.status]) if (typeof v === 'number') return v;
  return undefined;
}

/**
 * Reads a @google-cloud/storage failure for the driver's error mapping: the HTTP status (of an
 * ApiError or a GaxiosError) and the connection code, also when the resumable upload gives up
 * with a plain `Error("Retry limit exceeded - … code: ECONNRESET")`. The message gets the code
 * only; the SDK error stays the `cause`.
 *
 * @example
 * ```ts
 * import { describeGcsError } from './describeGcsError.ts';
 * console.log(describeGcsError({ code: 404 }).status); // 404
 * ```
 */
export function describeGcsError(error: unknown): DriverFailure {
  const e = (error ?? {}) as { code?: unknown; name?: string; cause?: { code?: string } };
  // The resumable upload gives up with a plain Error("Retry limit exceeded - … code: ECONNRESET").
  const fromMessage =
    error instanceof Error
      ? /\b(E[A-Z]{4,}|Retry limit exceeded)\b/.exec(error.message)?.[1]
      : undefined;
  const errno =
    typeof e.code === 'string'
      ? e.code
      : (e.cause?.code ?? (fromMessage === 'Retry limit exceeded' ? 'ECONNRESET' : fromMessage));
  return {
    status: gcsStatus(error),
    errno,
    aborted: e.name === 'AbortError',
    detail: [errno],
  };
}
