/** @module @sealstream/storage-s3 — S3 storage driver over @aws-sdk/client-s3 and @aws-sdk/lib-storage. */
export { mapS3Error } from './mapS3Error.ts';
export { parseS3Uri, S3_DRIVER, S3_PARAMS, type S3Location } from './parseS3Uri.ts';
export { registerS3Storage } from './registerS3Storage.ts';
export { S3_ATOMIC_CREATE_REASON, S3Storage, type S3StorageOptions } from './S3Storage.ts';
