import { KmsError, type KmsErrorCode } from '@sealstream/kms';

const NETWORK =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|socket hang up|REQUEST_SEND_ERROR|network/i;

/**
 * Maps an error from @azure/keyvault-keys or @azure/identity to a typed {@link KmsError}
 * naming the redacted URI. The SDK error (which holds the request, whose body carries the DEK)
 * is not kept; the cause is a plain summary.
 *
 * @example
 * ```ts
 * import { azureKmsError } from './azureKmsError.ts';
 * const e = azureKmsError(Object.assign(new Error('x'), { name: 'RestError', statusCode: 403, code: 'Forbidden' }), 'wrap', 'azure-kms:///k/v');
 * console.log(e.code); // 'ERR_KMS_ACCESS_DENIED'
 * ```
 */
export function azureKmsError(e: unknown, op: 'wrap' | 'unwrap', redactedUri: string): KmsError {
  if (e instanceof KmsError) return e;
  const err = (e ?? {}) as { name?: string; code?: string; statusCode?: number; message?: string };
  const name = err.name ?? 'Error';
  const message = (err.message ?? String(e)).replace(/\s+/g, ' ').trim();
  const status = err.statusCode;
  let code: KmsErrorCode;
  let what: string;
  const network = NETWORK.test(`${err.code ?? ''} ${message}`);
  if (name === 'AbortError' || name === 'TimeoutError' || (network && status === undefined)) {
    code = 'ERR_KMS_UNAVAILABLE';
    what = 'Key Vault or its authority is unreachable';
  } else if (
    name === 'AuthenticationRequiredError' ||
    name === 'AuthenticationError' ||
    name === 'CredentialUnavailableError' ||
    status === 401 ||
    status === 403
  ) {
    code = 'ERR_KMS_ACCESS_DENIED';
    what = 'access denied';
  } else if (
    status === undefined &&
    /is not supported on key|not supported|unsupported algorithm|key type/i.test(message)
  ) {
    // The SDK checks the key's key_ops / kty locally before calling the vault.
    code = 'ERR_KMS_KEY_UNUSABLE';
    what = 'the key cannot wrap with RSA-OAEP-256';
  } else if (status === 404) {
    code = 'ERR_KMS_KEY_UNUSABLE';
    what = 'the key or version does not exist';
  } else if (status === 400) {
    code = op === 'unwrap' ? 'ERR_KMS_BAD_WRAPPED_KEY' : 'ERR_KMS_KEY_UNUSABLE';
    what =
      op === 'unwrap'
        ? 'the wrapped key is damaged or was made by another key'
        : 'the key cannot wrap with RSA-OAEP-256';
  } else {
    code = 'ERR_KMS_UNAVAILABLE';
    what = 'Key Vault is unreachable or throttling';
  }
  const detail = [name, err.code, status].filter((x) => x !== undefined && x !== '').join(' ');
  const shown = message.length > 300 ? `${message.slice(0, 300)}…` : message;
  return new KmsError(
    code,
    `Azure Key Vault ${op} with ${redactedUri} failed: ${what} (${detail}: ${shown})`,
    {
      cause: Object.assign(new Error(`${detail}: ${shown}`), {
        statusCode: status,
        errorCode: err.code,
      }),
    },
  );
}
