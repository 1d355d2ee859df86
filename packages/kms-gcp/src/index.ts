/** @module @sealstream/kms-gcp — Google Cloud KMS key wrapper (gs:///projects/... URIs) over @google-cloud/kms. */
export { crc32c } from './crc32c.ts';
export { createGcpKeyWrapper, type GcpKmsOptions } from './createGcpKeyWrapper.ts';
export { gcpKmsError, gcpStatusOf, isTransientGcpError } from './gcpKmsError.ts';
export {
  GCP_KMS_PARAMS,
  type GcpKmsConfig,
  type GcpServiceAccount,
  parseGcpKmsUri,
  redactGcpKmsUri,
} from './gcpKmsUri.ts';
export { registerGcpKms } from './registerGcpKms.ts';
