/** @module @sealstream/storage-s3 — S3 storage driver over @aws-sdk/client-s3 and @aws-sdk/lib-storage. */
export {};
