/** @module @sealstream/manifest — ENCRYPTION_INFO and the sealed manifest: builders, codecs, strict validation. */
export {};
