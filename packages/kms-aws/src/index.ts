/** @module @sealstream/kms-aws — AWS KMS key wrapper (aws:/// URIs) over @aws-sdk/client-kms. */

export { type AwsKmsOptions, awsKeyWrapper } from './awsKeyWrapper.ts';
export { AWS_KMS_PARAMS, type AwsKmsConfig, parseAwsKmsUri, redactAwsKmsUri } from './awsKmsUri.ts';
export { registerAwsKms } from './registerAwsKms.ts';
