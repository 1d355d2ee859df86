/** @module @sealstream/storage-gcs — Google Cloud Storage driver over @google-cloud/storage. */
export { type GcsStorageOptions, gcsStorage } from './gcsStorage.ts';
export { registerGcsStorage } from './registerGcsStorage.ts';
