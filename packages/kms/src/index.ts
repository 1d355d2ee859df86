/** @module @sealstream/kms — KeyWrapper interface, KMS URI parsing and redaction, provider registry, the DEK envelope, passphrase and local-kms wrappers. */
export { checkDek } from './checkDek.ts';
export { checkParams } from './checkParams.ts';
export { generateLocalKey, LOCAL_KEY_BYTES } from './generateLocalKey.ts';
export type { KeyWrapper, KeyWrapperFactory, WrappedKey } from './KeyWrapper.ts';
export { KmsError, type KmsErrorCode } from './KmsError.ts';
export {
  createKeyWrapper,
  kmsSchemes,
  registerKmsProvider,
  unregisterKmsProvider,
} from './kmsRegistry.ts';
export { localKeyWrapper } from './localKeyWrapper.ts';
export { parseKmsUri, schemeOf } from './parseKmsUri.ts';
export { type PassphraseWrapperOptions, passphraseWrapper } from './passphraseWrapper.ts';
export { type ProviderParams, providerParams } from './providerParams.ts';
export {
  HARMLESS_PARAMS,
  isSecretParam,
  noteKmsScheme,
  REDACTED,
  redactUri,
  SECRET_PARAMS,
} from './redactUri.ts';
export {
  MAX_ENTRIES_PER_KEY,
  NoUsableKeyError,
  type UnwrapDataKeyOptions,
  type UnwrapDataKeyResult,
  type UnwrapFailure,
  unwrapDataKey,
} from './unwrapDataKey.ts';
export { withTimeout } from './withTimeout.ts';
export { DEFAULT_KMS_TIMEOUT_MS, type WrapDataKeyOptions, wrapDataKey } from './wrapDataKey.ts';
