/** @module @sealstream/kms-gcp — Google Cloud KMS key wrapper (gs:///projects/... URIs) over @google-cloud/kms. */
export { createGcpKeyWrapper, type GcpKmsOptions } from './createGcpKeyWrapper.ts';
export {
  GCP_KMS_PARAMS,
  type GcpKmsConfig,
  type GcpServiceAccount,
  parseGcpKmsUri,
  redactGcpKmsUri,
} from './gcpKmsUri.ts';
export { registerGcpKms } from './registerGcpKms.ts';
