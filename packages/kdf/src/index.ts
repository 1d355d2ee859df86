/** @module @sealstream/kdf — Passphrase to key: Argon2id (hash-wasm) and PBKDF2-SHA256, with self-describing bounded parameters. */
export { type Argon2Cost, type Argon2Engine, argon2idHash } from './argon2idHash.ts';
export { checkKdfParams } from './checkKdfParams.ts';
export { decodeKdfParams } from './decodeKdfParams.ts';
export { DEFAULT_SALT_BYTES, defaultKdfParams } from './defaultKdfParams.ts';
export { DERIVED_KEY_BYTES, type DeriveKeyOptions, deriveKey } from './deriveKey.ts';
export { encodeKdfParams } from './encodeKdfParams.ts';
export { KdfError, type KdfErrorCode } from './KdfError.ts';
export { DEFAULT_KDF_LIMITS, type KdfLimits } from './KdfLimits.ts';
export { KDF_ALGORITHMS, type KdfAlgorithm, type KdfParams } from './KdfParams.ts';
export { hasWebCrypto, type Pbkdf2Engine, pbkdf2Sha256 } from './pbkdf2Sha256.ts';
