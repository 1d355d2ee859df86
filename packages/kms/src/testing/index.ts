/** @module @sealstream/kms/testing — the shared conformance suite every KMS provider's tests run. */
export { type KmsConformanceFixture, kmsConformance } from './kmsConformance.ts';
