/** @module @sealstream/kms — KeyWrapper interface, KMS URI parsing and redaction, provider registry, the DEK envelope, passphrase and local-kms wrappers. */
export {};
