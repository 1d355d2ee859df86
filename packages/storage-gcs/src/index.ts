/** @module @sealstream/storage-gcs — Google Cloud Storage driver over @google-cloud/storage. */
export {};
