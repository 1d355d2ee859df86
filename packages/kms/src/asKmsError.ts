import { SealstreamError } from '@sealstream/streams';
import { KmsError, type KmsErrorCode } from './KmsError.ts';

/**
 * Normalises what a wrapper threw into a {@link SealstreamError} whose message names `label` (a
 * redacted URI). A SealstreamError keeps its class and code (its message is prefixed with `label`
 * when missing); anything else becomes a {@link KmsError} with `fallback` as code and the original
 * as `cause`.
 */
export function asKmsError(e: unknown, label: string, fallback: KmsErrorCode): SealstreamError {
  if (e instanceof SealstreamError) return e;
  const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return new KmsError(fallback, `${label}: ${what}`, { cause: e });
}
