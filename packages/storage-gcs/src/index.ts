/** @module @sealstream/storage-gcs — Google Cloud Storage driver over @google-cloud/storage. */
export { GcsStorage, type GcsStorageOptions } from './GcsStorage.ts';
export { gcsStatus, mapGcsError } from './mapGcsError.ts';
export {
  GCS_DRIVER,
  GCS_PARAMS,
  type GcsAuth,
  type GcsLocation,
  parseGcsUri,
} from './parseGcsUri.ts';
export { registerGcsStorage } from './registerGcsStorage.ts';
