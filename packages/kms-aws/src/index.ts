/** @module @sealstream/kms-aws — AWS KMS key wrapper (aws:/// URIs) over @aws-sdk/client-kms. */

export { AWS_KMS_PARAMS, type AwsKmsConfig, parseAwsKmsUri, redactAwsKmsUri } from './awsKmsUri.ts';
export { type AwsKmsOptions, createAwsKeyWrapper } from './createAwsKeyWrapper.ts';
export { registerAwsKms } from './registerAwsKms.ts';
