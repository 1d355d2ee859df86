/** @module @sealstream/storage-gcs — Google Cloud Storage driver over @google-cloud/storage. */
export { GcsStorage, type GcsStorageOptions } from './GcsStorage.ts';
export { registerGcsStorage } from './registerGcsStorage.ts';
