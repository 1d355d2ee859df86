import { registerStorageDriver } from '@sealstream/storage';
import { type GcsStorageOptions, gcsStorage } from './gcsStorage.ts';

/**
 * Registers the Cloud Storage driver for `gs://` in the storage registry, so
 * `openStorage('gs://bucket/prefix?…')` works. (`gs:///projects/…` with a triple slash is a KMS
 * key URI, handled by @sealstream/kms-gcp, not a bucket.)
 *
 * @example
 * ```ts
 * import { openStorage } from '@sealstream/storage';
 * import { registerGcsStorage } from '@sealstream/storage-gcs';
 * registerGcsStorage();
 * const storage = await openStorage('gs://backups/prod?AUTH=implicit');
 * console.log(storage.driver); // gs
 * ```
 */
export function registerGcsStorage(options: GcsStorageOptions = {}): void {
  registerStorageDriver('gs', (uri) => gcsStorage(uri, options));
}
