import { KmsError, type KmsErrorCode } from '@sealstream/kms';

const ACCESS = new Set([
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'CredentialsProviderError',
]);
const UNAVAILABLE = new Set([
  'ThrottlingException',
  'LimitExceededException',
  'KMSInternalException',
  'DependencyTimeoutException',
  'KeyUnavailableException',
  'ServiceUnavailableException',
  'TimeoutError',
  'RequestTimeout',
]);
const UNUSABLE = new Set([
  'NotFoundException',
  'DisabledException',
  'InvalidKeyUsageException',
  'KMSInvalidStateException',
]);
const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/**
 * Maps an error from @aws-sdk/client-kms (or the network under it) to a typed
 * {@link KmsError}. `op` is `wrap`, `unwrap` or `identify` (DescribeKey); the message names the redacted URI and the
 * service's error type, never a secret.
 *
 * @example
 * ```ts
 * import { awsKmsError } from './awsKmsError.ts';
 * const e = awsKmsError(Object.assign(new Error('x'), { name: 'IncorrectKeyException' }), 'unwrap', 'aws:///alias/k?REGION=us-east-1');
 * console.log(e.code); // 'ERR_KMS_WRONG_KEY'
 * ```
 */
export function awsKmsError(
  e: unknown,
  op: 'wrap' | 'unwrap' | 'identify',
  redactedUri: string,
): KmsError {
  if (e instanceof KmsError) return e;
  const err = (e ?? {}) as {
    name?: string;
    code?: string;
    message?: string;
    $fault?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const name = err.name ?? 'Error';
  const status = err.$metadata?.httpStatusCode;
  let code: KmsErrorCode;
  let what: string;
  if (name === 'IncorrectKeyException') {
    code = 'ERR_KMS_WRONG_KEY';
    what = 'the wrapped key was made by another KMS key';
  } else if (name === 'InvalidCiphertextException') {
    code = 'ERR_KMS_BAD_WRAPPED_KEY';
    what = 'the wrapped key is damaged, or was bound to another context';
  } else if (ACCESS.has(name) || status === 401 || status === 403) {
    code = 'ERR_KMS_ACCESS_DENIED';
    what = 'access denied';
  } else if (UNUSABLE.has(name)) {
    code = 'ERR_KMS_KEY_UNUSABLE';
    what = 'the key cannot be used for symmetric encryption';
  } else if (
    UNAVAILABLE.has(name) ||
    err.$fault === 'server' ||
    (status !== undefined && status >= 500) ||
    (err.code !== undefined && NETWORK.has(err.code)) ||
    status === undefined
  ) {
    code = 'ERR_KMS_UNAVAILABLE';
    what = 'AWS KMS is unreachable or throttling';
  } else {
    code = op === 'unwrap' ? 'ERR_KMS_BAD_WRAPPED_KEY' : 'ERR_KMS_KEY_UNUSABLE';
    what = 'the request was refused';
  }
  const detail = err.code && !err.message?.includes(err.code) ? `${name} ${err.code}` : name;
  // Keep a plain summary as the cause, not the SDK error (and whatever request state it holds).
  const cause = Object.assign(new Error(`${detail}: ${oneLine(err.message)}`), {
    name: 'AwsKmsServiceError',
    awsErrorName: name,
    httpStatusCode: status,
  });
  return new KmsError(
    code,
    `AWS KMS ${op} with ${redactedUri} failed: ${what} (${detail}: ${oneLine(err.message)})`,
    { cause },
  );
}

function oneLine(s: string | undefined): string {
  const t = (s ?? '').replace(/\s+/g, ' ').trim();
  return t.length > 300 ? `${t.slice(0, 300)}…` : t;
}
