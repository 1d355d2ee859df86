/**
 * One way in to a backup's data key (DEK): a KMS key, a local key file, or a passphrase.
 *
 * A wrapper turns the 32-byte DEK into an opaque wrapped blob and back. The envelope
 * (ENCRYPTION_INFO) stores one entry per wrapper: `{ scheme, id, wrapped, params? }`.
 *
 * Contract:
 * - `id` identifies the master key and carries no secret (no credential, no query parameter
 *   that holds a secret). It is the key's canonical identity once {@link KeyWrapper.identify}
 *   has resolved: what the KMS itself calls the key (an AWS key ARN, a Cloud KMS CryptoKey
 *   name, a Key Vault `kid`, a local key's fingerprint), whatever name the URI used.
 * - Matching compares identities only, never "same region" or "same provider": two URIs
 *   naming one key (alias vs ARN) match the same entries; two keys never do.
 * - `wrap` / `unwrap` never log or embed secrets in errors.
 * - `unwrap` of a blob made by another key fails with a `SealstreamError` whose code is
 *   `ERR_KMS_WRONG_KEY`; an unreachable or throttled provider `ERR_KMS_UNAVAILABLE`;
 *   denied credentials `ERR_KMS_ACCESS_DENIED`; anything malformed `ERR_KMS_BAD_WRAPPED_KEY`.
 */
export interface KeyWrapper {
  /** URI scheme of the provider, e.g. `aws`, `gs`, `azure-kms`, `local-kms`, `passphrase`. */
  readonly scheme: string;
  /**
   * Secret-free identifier of the master key, stored in ENCRYPTION_INFO: its canonical identity
   * once {@link KeyWrapper.identify} has resolved, before that what the URI names.
   */
  readonly id: string;
  /** The URI with every secret parameter redacted, for messages and listings. */
  readonly redactedUri: string;
  /** Wraps the DEK. `context` is bound as associated data where the KMS supports it. */
  wrap(dek: Uint8Array, context?: Uint8Array): Promise<WrappedKey>;
  /** Unwraps a blob produced by {@link KeyWrapper.wrap} (by this key or the same key named differently). */
  unwrap(wrapped: WrappedKey, context?: Uint8Array): Promise<Uint8Array>;
  /**
   * Resolves the canonical identity of the master key this wrapper names (the `id` its entries
   * carry), asking the KMS where the URI alone cannot say — an AWS alias, alias ARN or bare key
   * id becomes the key ARN through `DescribeKey`. Cached after the first success. Call it before
   * relying on {@link KeyWrapper.matches}: until it has resolved, a name that only the KMS can
   * resolve matches nothing. Failures are typed like `wrap`'s (`ERR_KMS_ACCESS_DENIED`,
   * `ERR_KMS_UNAVAILABLE`, `ERR_KMS_KEY_UNUSABLE`, …).
   */
  identify(): Promise<string>;
  /**
   * True when the stored entry was made by this wrapper's master key: its `id` equals this
   * wrapper's canonical identity (see {@link KeyWrapper.identify}). A wrapper whose entries carry
   * nothing that identifies the key answers for a whole scheme: the passphrase wrapper matches
   * every `passphrase` entry (storing an identifier of a passphrase would help guessing it), and
   * `unwrap` then tells the right one by `ERR_KMS_WRONG_KEY`.
   */
  matches(entry: WrappedKey): boolean;
}

/** What a wrapper produces and ENCRYPTION_INFO stores. All fields are secret-free. */
export interface WrappedKey {
  scheme: string;
  /** Master key id as returned by the KMS (e.g. the key ARN). */
  id: string;
  /** The wrapped DEK. */
  wrapped: Uint8Array;
  /** Provider-specific public parameters (e.g. KDF parameters and salt for a passphrase). */
  params?: Record<string, unknown>;
}

/** Makes a {@link KeyWrapper} from a KMS URI; registered per scheme in the provider registry. */
export type KeyWrapperFactory = (uri: URL) => KeyWrapper | Promise<KeyWrapper>;
