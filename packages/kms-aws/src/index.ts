/** @module @sealstream/kms-aws — AWS KMS key wrapper (aws:/// URIs) over @aws-sdk/client-kms. */
export {};
