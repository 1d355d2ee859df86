import {
  DEFAULT_SALT_BYTES,
  decodeKdfParams,
  defaultKdfParams,
  deriveKey,
  encodeKdfParams,
  KdfError,
  type KdfLimits,
  type KdfParams,
} from '@sealstream/kdf';
import { checkDek } from './checkDek.ts';
import type { KeyWrapper, WrappedKey } from './KeyWrapper.ts';
import { KmsError } from './KmsError.ts';
import { openDek, sealDek } from './sealedDek.ts';

const SCHEME = 'passphrase';
const DOMAIN = 'sealstream/passphrase/v1';
/** The redacted URI and label of every passphrase wrapper. */
const LABEL = 'passphrase:';

/** Options of {@link passphraseWrapper}. */
export interface PassphraseWrapperOptions {
  /**
   * How `wrap` derives the key-encryption key: an algorithm name (its default costs), or full
   * {@link KdfParams} whose costs are used with a fresh random salt of the same length (at least
   * 16 bytes) — a salt is never reused. Default `argon2id` (64 MiB, 3 passes, 1 lane).
   */
  kdf?: KdfParams | 'argon2id' | 'pbkdf2-sha256';
  /** Bounds for the parameters read back by `unwrap` (default `DEFAULT_KDF_LIMITS`). */
  limits?: Partial<KdfLimits>;
}

function freshParams(kdf: PassphraseWrapperOptions['kdf']): KdfParams {
  if (kdf === undefined || typeof kdf === 'string') return defaultKdfParams(kdf);
  const salt = crypto.getRandomValues(
    new Uint8Array(Math.max(DEFAULT_SALT_BYTES, kdf.salt?.length ?? 0)),
  );
  return { ...kdf, salt };
}

/**
 * A passphrase as a {@link KeyWrapper} (scheme `passphrase`).
 *
 * `wrap` draws fresh KDF parameters (new salt), derives a 32-byte key-encryption key with
 * {@link deriveKey} and seals the DEK with AES-256-GCM (WebCrypto), binding `context` as
 * associated data. The entry is `{ scheme: 'passphrase', id: 'passphrase', wrapped, params }`
 * where `params` is {@link encodeKdfParams} of the KDF parameters (algorithm, costs, salt).
 *
 * `unwrap` reads `params` with {@link decodeKdfParams} under `options.limits` *before* deriving,
 * so a hostile entry cannot make it allocate or spin: it rethrows the {@link KdfError}
 * (`ERR_KDF_PARAMS_OUT_OF_BOUNDS` or `ERR_KDF_PARAMS_INVALID`, message prefixed `passphrase:`).
 * A wrong passphrase gives `ERR_KMS_WRONG_KEY`; the right passphrase with a tampered blob or
 * another context gives `ERR_KMS_BAD_WRAPPED_KEY`. A tampered salt or cost cannot be told from a
 * wrong passphrase and is reported as `ERR_KMS_WRONG_KEY`.
 *
 * Identity: nothing about the passphrase is stored beside the blob — no hash, no fingerprint. `id`
 * is the constant `passphrase` and `matches` accepts every passphrase entry, so several passphrase
 * entries are each tried (one KDF run each). The blob carries a 16-byte key id derived from the
 * KDF output (salted, full KDF cost per guess: it tells an attacker nothing the wrapped DEK does
 * not), which is how a wrong passphrase is told from a damaged blob. `redactedUri` is
 * `passphrase:`. Derived keys are cached per parameter set for the wrapper's lifetime, so
 * unwrapping the same entry twice runs the KDF once.
 *
 * @example
 * ```ts
 * import { passphraseWrapper } from '@sealstream/kms';
 * const wrapper = passphraseWrapper('correct horse battery staple', { kdf: 'pbkdf2-sha256' });
 * const dek = crypto.getRandomValues(new Uint8Array(32));
 * const entry = await wrapper.wrap(dek);
 * console.log(entry.params?.algorithm, (await wrapper.unwrap(entry)).length); // pbkdf2-sha256 32
 * ```
 */
export function passphraseWrapper(
  passphrase: string | Uint8Array,
  options: PassphraseWrapperOptions = {},
): KeyWrapper {
  if (typeof passphrase !== 'string' && !(passphrase instanceof Uint8Array)) {
    throw new TypeError(
      `passphraseWrapper: the passphrase must be a string or a Uint8Array, received ${typeof passphrase}`,
    );
  }
  if (passphrase.length === 0) throw new RangeError('passphraseWrapper: the passphrase is empty');
  const secret = typeof passphrase === 'string' ? passphrase : passphrase.slice();
  const { kdf, limits } = options;
  if (kdf !== undefined) encodeKdfParams(freshParams(kdf)); // guard at the door: malformed params throw now
  const cache = new Map<string, Promise<Uint8Array>>();

  function derive(params: KdfParams): Promise<Uint8Array> {
    const cacheKey = JSON.stringify(encodeKdfParams(params));
    const cached = cache.get(cacheKey);
    if (cached !== undefined) return cached;
    if (cache.size >= 8) cache.delete(cache.keys().next().value as string);
    const kek = deriveKey(secret, params, limits === undefined ? {} : { limits });
    kek.catch(() => cache.delete(cacheKey));
    cache.set(cacheKey, kek);
    return kek;
  }

  return {
    scheme: SCHEME,
    id: SCHEME,
    redactedUri: LABEL,
    async wrap(dek: Uint8Array, context?: Uint8Array): Promise<WrappedKey> {
      checkDek(dek, LABEL);
      const params = freshParams(kdf);
      const kek = await deriveKey(secret, params, limits === undefined ? {} : { limits });
      const wrapped = await sealDek(kek, dek, DOMAIN, context);
      kek.fill(0);
      return { scheme: SCHEME, id: SCHEME, wrapped, params: encodeKdfParams(params) };
    },
    async unwrap(entry: WrappedKey, context?: Uint8Array): Promise<Uint8Array> {
      if (entry?.scheme !== SCHEME) {
        throw new KmsError(
          'ERR_KMS_WRONG_KEY',
          `${LABEL} the entry was made by a "${String(entry?.scheme)}" key, not a passphrase`,
        );
      }
      let params: KdfParams;
      try {
        params = decodeKdfParams(entry.params, limits);
      } catch (e) {
        if (e instanceof KdfError)
          throw new KdfError(e.code, `${LABEL} ${e.message}`, { cause: e });
        throw e;
      }
      const kek = await derive(params);
      try {
        return await openDek(kek, entry.wrapped, DOMAIN, LABEL, context);
      } catch (e) {
        if (e instanceof KmsError && e.code === 'ERR_KMS_WRONG_KEY') {
          throw new KmsError(
            'ERR_KMS_WRONG_KEY',
            `${LABEL} wrong passphrase (or the entry's KDF parameters were altered)`,
          );
        }
        throw e;
      }
    },
    identify: async () => SCHEME,
    matches(entry: WrappedKey): boolean {
      return entry?.scheme === SCHEME;
    },
  };
}
