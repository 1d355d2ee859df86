/** @module @sealstream/kms-gcp — Google Cloud KMS key wrapper (gs:///projects/... URIs) over @google-cloud/kms. */
export { type GcpKmsOptions, gcpKeyWrapper } from './gcpKeyWrapper.ts';
export {
  GCP_KMS_PARAMS,
  type GcpKmsConfig,
  type GcpServiceAccount,
  parseGcpKmsUri,
  redactGcpKmsUri,
} from './gcpKmsUri.ts';
export { registerGcpKms } from './registerGcpKms.ts';
