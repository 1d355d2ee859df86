import { KmsError, type KmsErrorCode } from '@sealstream/kms';

const HTTP_TO_STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};
const GRPC_TO_STATUS = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
];
const TRANSIENT = new Set([
  'UNAVAILABLE',
  'DEADLINE_EXCEEDED',
  'RESOURCE_EXHAUSTED',
  'INTERNAL',
  'ABORTED',
  'CANCELLED',
  'UNKNOWN',
  'NETWORK',
]);
const NETWORK =
  /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE|ECONNABORTED|ERR_SOCKET_CONNECTION_TIMEOUT|UND_ERR_\w+)$/;

const NO_CREDENTIALS =
  /Could not load the default credentials|No authentication was provided|Unable to detect a Project Id|could not (?:find|read) (?:the )?(?:credentials|key file)/i;

/** The service's status name and message, from any of the shapes @google-cloud/kms throws. */
export function gcpStatusOf(e: unknown): { status: string; message: string } {
  const err = (e ?? {}) as {
    code?: unknown;
    message?: string;
    status?: unknown;
    name?: string;
    response?: { status?: number; data?: unknown };
  };
  let message = err.message ?? String(e);
  let status: string | undefined;
  // v5 REST (GaxiosError): message is the raw JSON error body.
  const body =
    typeof err.response?.data === 'object' && err.response.data !== null
      ? err.response.data
      : tryJson(message);
  const inner = (
    body as { error?: { status?: string; message?: string; code?: number } } | undefined
  )?.error;
  if (inner && typeof inner === 'object') {
    if (typeof inner.status === 'string') status = inner.status;
    if (typeof inner.message === 'string') message = inner.message;
    if (status === undefined && typeof inner.code === 'number') status = HTTP_TO_STATUS[inner.code];
  }
  if (status === undefined && typeof err.code === 'string')
    status = NETWORK.test(err.code) ? 'NETWORK' : undefined;
  if (status === undefined && typeof err.code === 'number') {
    status =
      err.code >= 100
        ? (HTTP_TO_STATUS[err.code] ?? (err.code >= 500 ? 'UNAVAILABLE' : 'UNKNOWN'))
        : GRPC_TO_STATUS[err.code];
  }
  if (status === undefined && typeof err.response?.status === 'number')
    status = HTTP_TO_STATUS[err.response.status];
  // google-auth-library's credential loading (AUTH=implicit without application default
  // credentials, an unusable key file) throws plain Errors before any request is sent.
  if (status === undefined && NO_CREDENTIALS.test(message)) status = 'UNAUTHENTICATED';
  if (status === undefined && /total timeout|deadline|timed? ?out/i.test(message))
    status = 'DEADLINE_EXCEEDED';
  return { status: status ?? 'UNKNOWN', message };
}

/** True for failures worth another attempt (outage, throttling, transport). */
export function isTransientGcpError(e: unknown): boolean {
  return TRANSIENT.has(gcpStatusOf(e).status);
}

function tryJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

/**
 * Maps an error from @google-cloud/kms (REST or gRPC, v5 or v6 shapes) to a typed
 * {@link KmsError} naming the redacted URI.
 *
 * @example
 * ```ts
 * import { gcpKmsError } from './gcpKmsError.ts';
 * const e = gcpKmsError(Object.assign(new Error('x'), { code: 7 }), 'wrap', 'gs:///projects/p/locations/l/keyRings/r/cryptoKeys/k');
 * console.log(e.code); // 'ERR_KMS_ACCESS_DENIED'
 * ```
 */
export function gcpKmsError(e: unknown, op: 'wrap' | 'unwrap', redactedUri: string): KmsError {
  if (e instanceof KmsError) return e;
  const { status, message } = gcpStatusOf(e);
  let code: KmsErrorCode;
  let what: string;
  switch (status) {
    case 'UNAUTHENTICATED':
      code = 'ERR_KMS_ACCESS_DENIED';
      what = 'the credentials were refused';
      break;
    case 'PERMISSION_DENIED':
      code = 'ERR_KMS_ACCESS_DENIED';
      what = 'permission denied (or the key does not exist)';
      break;
    case 'NOT_FOUND':
    case 'FAILED_PRECONDITION':
      code = 'ERR_KMS_KEY_UNUSABLE';
      what = 'the key cannot be used for symmetric encryption';
      break;
    case 'INVALID_ARGUMENT':
    case 'OUT_OF_RANGE':
    case 'DATA_LOSS':
      code = op === 'unwrap' ? 'ERR_KMS_BAD_WRAPPED_KEY' : 'ERR_KMS_KEY_UNUSABLE';
      what =
        op === 'unwrap'
          ? 'the wrapped key is damaged, bound to another context, or made by another key'
          : 'the request was refused';
      break;
    default:
      code = 'ERR_KMS_UNAVAILABLE';
      what = 'Cloud KMS is unreachable or throttling';
  }
  const shown = message.replace(/\s+/g, ' ').trim();
  // The SDK's error carries the request (whose body holds the DEK in base64), so the cause kept
  // is a plain summary, never the SDK error itself.
  const cause = Object.assign(new Error(`${status}: ${shown}`), { status });
  return new KmsError(
    code,
    `Google Cloud KMS ${op} with ${redactedUri} failed: ${what} (${status}: ${shown.length > 300 ? `${shown.slice(0, 300)}…` : shown})`,
    {
      cause,
    },
  );
}
