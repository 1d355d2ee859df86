import { registerStorageDriver } from '@sealstream/storage';
import { type S3StorageOptions, s3Storage } from './s3Storage.ts';

/**
 * Registers the S3 driver for `s3://` in the storage registry, so `openStorage('s3://…')` works.
 *
 * @example
 * ```ts
 * import { openStorage } from '@sealstream/storage';
 * import { registerS3Storage } from '@sealstream/storage-s3';
 * registerS3Storage();
 * const storage = await openStorage('s3://backups/prod?AUTH=implicit&AWS_REGION=eu-west-1');
 * console.log(storage.driver); // s3
 * ```
 */
export function registerS3Storage(options: S3StorageOptions = {}): void {
  registerStorageDriver('s3', (uri) => s3Storage(uri, options));
}
