/** @module @sealstream/kms-gcp — Google Cloud KMS key wrapper (gs:///projects/... URIs) over @google-cloud/kms. */
export {};
