import type { SealstreamError } from '@sealstream/streams';
import { asKmsError } from './asKmsError.ts';
import type { KeyWrapper, WrappedKey } from './KeyWrapper.ts';
import { KmsError } from './KmsError.ts';
import { withTimeout } from './withTimeout.ts';
import { DEFAULT_KMS_TIMEOUT_MS } from './wrapDataKey.ts';

/** One key that was tried and did not open the data key, and why. */
export interface UnwrapFailure {
  /** The wrapper's redacted URI. */
  uri: string;
  error: SealstreamError;
}

/** Options of {@link unwrapDataKey}. */
export interface UnwrapDataKeyOptions {
  /** The context the entries were wrapped with. */
  context?: Uint8Array;
  /**
   * Verifies a candidate DEK (e.g. against ENCRYPTION_INFO's check value). A candidate it rejects
   * is reported as `ERR_KMS_WRONG_KEY` and the search goes on.
   */
  check?: (dek: Uint8Array) => Promise<boolean>;
  /** Bound on each unwrap call in ms (default {@link DEFAULT_KMS_TIMEOUT_MS}; 0: none). */
  timeoutMs?: number;
  /**
   * Most entries one wrapper is tried against (default {@link MAX_ENTRIES_PER_KEY}). A
   * passphrase matches every passphrase entry and each try costs a full KDF run, so decoy entries
   * would multiply the work; past the cap the rest are not tried (`ERR_KMS_TOO_MANY_ENTRIES`).
   */
  maxEntriesPerKey?: number;
}

/**
 * Default of {@link UnwrapDataKeyOptions.maxEntriesPerKey}: one unwrap spends at most four KDF
 * runs per passphrase (KMS keys match at most one entry of a valid ENCRYPTION_INFO).
 */
export const MAX_ENTRIES_PER_KEY = 4;

/** What {@link unwrapDataKey} found. */
export interface UnwrapDataKeyResult {
  dek: Uint8Array;
  /** The wrapper that opened it. */
  wrapper: KeyWrapper;
  /** The entry it opened. */
  entry: WrappedKey;
  /** Every attempt that failed before the one that worked. */
  failures: UnwrapFailure[];
}

/**
 * The error of {@link unwrapDataKey} when no key works: code `ERR_KMS_NO_USABLE_KEY`, a message
 * listing each redacted URI with its code and reason, and the same list in `failures`.
 *
 * @example
 * ```ts
 * import { generateLocalKey, localKeyWrapper, NoUsableKeyError, unwrapDataKey, wrapDataKey } from '@sealstream/kms';
 * const entries = await wrapDataKey(generateLocalKey(), [localKeyWrapper(generateLocalKey())]);
 * try {
 *   await unwrapDataKey(entries, [localKeyWrapper(generateLocalKey(), 'local-kms:///other.key')]);
 * } catch (e) {
 *   if (e instanceof NoUsableKeyError) console.log(e.failures.map((f) => f.error.code)); // [ 'ERR_KMS_WRONG_KEY' ]
 * }
 * ```
 */
export class NoUsableKeyError extends KmsError {
  readonly failures: UnwrapFailure[];

  constructor(message: string, failures: UnwrapFailure[]) {
    super('ERR_KMS_NO_USABLE_KEY', message, { cause: failures[0]?.error });
    this.failures = failures;
  }
}

/**
 * Opens the DEK with any one of `wrappers`: they are tried in order; each is first
 * {@link KeyWrapper.identify | identified} (a failure there is recorded and the next wrapper
 * tried), then tried against the entries it {@link KeyWrapper.matches} (in the entries' order), and the first DEK that unwraps (and passes
 * `check`) wins. Every failure on the way is recorded — a wrapper matching no entry counts as
 * `ERR_KMS_WRONG_KEY`, a hanging provider as `ERR_KMS_TIMEOUT` after `timeoutMs`, entries past
 * `maxEntriesPerKey` for one wrapper as `ERR_KMS_TOO_MANY_ENTRIES` (not tried). When none
 * works it throws {@link NoUsableKeyError} (`ERR_KMS_NO_USABLE_KEY`).
 *
 * @example
 * ```ts
 * import { generateLocalKey, localKeyWrapper, unwrapDataKey, wrapDataKey } from '@sealstream/kms';
 * const a = localKeyWrapper(generateLocalKey()), b = localKeyWrapper(generateLocalKey());
 * const dek = crypto.getRandomValues(new Uint8Array(32));
 * const entries = await wrapDataKey(dek, [a, b]);
 * const { wrapper, failures } = await unwrapDataKey(entries, [localKeyWrapper(generateLocalKey()), b]);
 * console.log(wrapper === b, failures.length); // true 1
 * ```
 */
export async function unwrapDataKey(
  entries: readonly WrappedKey[],
  wrappers: readonly KeyWrapper[],
  options: UnwrapDataKeyOptions = {},
): Promise<UnwrapDataKeyResult> {
  if (!Array.isArray(entries))
    throw new TypeError('unwrapDataKey: entries must be an array of wrapped keys');
  if (!Array.isArray(wrappers))
    throw new TypeError('unwrapDataKey: wrappers must be an array of key wrappers');
  const { context, check } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_KMS_TIMEOUT_MS;
  const maxEntries = options.maxEntriesPerKey ?? MAX_ENTRIES_PER_KEY;
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1)
    throw new RangeError(
      `unwrapDataKey: maxEntriesPerKey must be an integer >= 1: received ${maxEntries}`,
    );
  const failures: UnwrapFailure[] = [];
  for (const wrapper of wrappers) {
    const uri = wrapper.redactedUri;
    try {
      await withTimeout(
        Promise.resolve().then(() => wrapper.identify()),
        timeoutMs,
        uri,
        'identify',
      );
    } catch (e) {
      failures.push({ uri, error: asKmsError(e, uri, 'ERR_KMS_UNAVAILABLE') });
      continue;
    }
    const candidates = entries.filter((entry) => {
      try {
        return wrapper.matches(entry);
      } catch {
        return false;
      }
    });
    if (candidates.length === 0) {
      failures.push({
        uri,
        error: new KmsError(
          'ERR_KMS_WRONG_KEY',
          `${uri}: not one of the keys this data key is wrapped with`,
        ),
      });
      continue;
    }
    for (const entry of candidates.slice(0, maxEntries)) {
      try {
        const dek = await withTimeout(
          Promise.resolve().then(() => wrapper.unwrap(entry, context)),
          timeoutMs,
          uri,
          'unwrap',
        );
        if (!(dek instanceof Uint8Array) || dek.length !== 32) {
          throw new KmsError(
            'ERR_KMS_BAD_WRAPPED_KEY',
            `${uri}: unwrapped to ${dek instanceof Uint8Array ? dek.length : 'no'} bytes instead of 32`,
          );
        }
        if (check !== undefined && !(await check(dek))) {
          throw new KmsError(
            'ERR_KMS_WRONG_KEY',
            `${uri}: unwrapped a key that fails the data key check value`,
          );
        }
        return { dek, wrapper, entry, failures };
      } catch (e) {
        failures.push({ uri, error: asKmsError(e, uri, 'ERR_KMS_UNWRAP_FAILED') });
      }
    }
    if (candidates.length > maxEntries) {
      failures.push({
        uri,
        error: new KmsError(
          'ERR_KMS_TOO_MANY_ENTRIES',
          `${uri}: ${candidates.length} entries match this key; only the first ${maxEntries} were tried (each try of a passphrase costs a full KDF run; extra entries may be decoys)`,
        ),
      });
    }
  }
  const held = [...new Set(entries.map((e) => String(e?.scheme)))].join(', ') || 'none';
  const message =
    wrappers.length === 0
      ? `No key given to open the data key (it is wrapped for: ${held})`
      : `No key could open the data key (it is wrapped for: ${held}): ${failures
          .map((f) => `${f.uri} → ${f.error.code}: ${f.error.message}`)
          .join('; ')}`;
  throw new NoUsableKeyError(message, failures);
}
