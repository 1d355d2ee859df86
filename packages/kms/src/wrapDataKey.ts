import { asKmsError } from './asKmsError.ts';
import { checkDek } from './checkDek.ts';
import type { KeyWrapper, WrappedKey } from './KeyWrapper.ts';
import { KmsError } from './KmsError.ts';
import { withTimeout } from './withTimeout.ts';

/**
 * Default bound on one wrapper's wrap or unwrap, in ms.
 *
 * @example
 * ```ts
 * import { DEFAULT_KMS_TIMEOUT_MS } from '@sealstream/kms';
 * console.log(DEFAULT_KMS_TIMEOUT_MS); // 120000
 * ```
 */
export const DEFAULT_KMS_TIMEOUT_MS = 120_000;

/** Options of {@link wrapDataKey} (as {@link unwrapDataKey} takes them). */
export interface WrapDataKeyOptions {
  /** Bound into every wrapping (KMS encryption context / AAD); unwrapping must give the same. */
  context?: Uint8Array;
  /** Bound on each wrapper's call in ms (default {@link DEFAULT_KMS_TIMEOUT_MS}; 0: none). */
  timeoutMs?: number;
}

/**
 * Wraps the 32-byte DEK under every wrapper (concurrently) and returns one entry per wrapper, in
 * the wrappers' order — what ENCRYPTION_INFO stores. All or nothing: if any wrapper fails, the
 * whole call fails with a {@link KmsError} `ERR_KMS_WRAP_FAILED` naming each failing wrapper's
 * redacted URI and code; the first failure is its `cause`.
 *
 * @example
 * ```ts
 * import { generateLocalKey, localKeyWrapper, passphraseWrapper, wrapDataKey } from '@sealstream/kms';
 * const dek = crypto.getRandomValues(new Uint8Array(32));
 * const entries = await wrapDataKey(dek, [localKeyWrapper(generateLocalKey()), passphraseWrapper('pw', { kdf: 'pbkdf2-sha256' })]);
 * console.log(entries.map((e) => e.scheme)); // [ 'local-kms', 'passphrase' ]
 * ```
 */
export async function wrapDataKey(
  dek: Uint8Array,
  wrappers: readonly KeyWrapper[],
  options: WrapDataKeyOptions = {},
): Promise<WrappedKey[]> {
  if (options instanceof Uint8Array)
    throw new TypeError('wrapDataKey: pass the context as an option: { context }');
  const { context } = options;
  checkDek(dek, 'wrapDataKey');
  if (!Array.isArray(wrappers) || wrappers.length === 0) {
    throw new TypeError('wrapDataKey: give at least one key wrapper (a KMS URI or a passphrase)');
  }
  if (context !== undefined && !(context instanceof Uint8Array)) {
    throw new TypeError('wrapDataKey: context must be a Uint8Array');
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_KMS_TIMEOUT_MS;
  const results = await Promise.allSettled(
    wrappers.map(async (w) => {
      const entry = await withTimeout(
        Promise.resolve().then(() => w.wrap(dek, context)),
        timeoutMs,
        w.redactedUri,
        'wrap',
      );
      if (
        entry?.scheme !== w.scheme ||
        typeof entry.id !== 'string' ||
        !(entry.wrapped instanceof Uint8Array)
      ) {
        throw new KmsError(
          'ERR_KMS_WRAP_FAILED',
          `${w.redactedUri}: the provider returned a malformed entry`,
        );
      }
      return entry;
    }),
  );
  const failures = results.flatMap((r, i) =>
    r.status === 'rejected'
      ? [
          {
            uri: (wrappers[i] as KeyWrapper).redactedUri,
            error: asKmsError(
              r.reason,
              (wrappers[i] as KeyWrapper).redactedUri,
              'ERR_KMS_WRAP_FAILED',
            ),
          },
        ]
      : [],
  );
  if (failures.length > 0) {
    const detail = failures.map((f) => `${f.uri} (${f.error.code}: ${f.error.message})`).join('; ');
    throw new KmsError(
      'ERR_KMS_WRAP_FAILED',
      `Could not wrap the data key under every key: ${detail}`,
      {
        cause: failures[0]?.error,
      },
    );
  }
  return results.map((r) => (r as PromiseFulfilledResult<WrappedKey>).value);
}
