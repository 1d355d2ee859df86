/** @module @sealstream/storage-s3 — S3 storage driver over @aws-sdk/client-s3 and @aws-sdk/lib-storage. */
export { registerS3Storage } from './registerS3Storage.ts';
export { type S3StorageOptions, s3Storage } from './s3Storage.ts';
