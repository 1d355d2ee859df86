import { registerKmsProvider } from '@sealstream/kms';
import { localKmsProvider } from '@sealstream/kms/node';
import { registerAwsKms } from '@sealstream/kms-aws';
import { registerAzureKms } from '@sealstream/kms-azure';
import { registerGcpKms } from '@sealstream/kms-gcp';
import { registerAzureBlobStorage } from '@sealstream/storage-azure';
import { registerGcsStorage } from '@sealstream/storage-gcs';
import { registerLocalStorage } from '@sealstream/storage-local';
import { registerS3Storage } from '@sealstream/storage-s3';

let done = false;

/**
 * Registers every storage driver and KMS provider the CLI knows. Cloud SDKs are loaded lazily
 * by their packages, on first use of their scheme.
 */
export function registerProviders(): void {
  if (done) return;
  done = true;
  registerLocalStorage();
  registerAzureBlobStorage();
  registerS3Storage();
  registerGcsStorage();
  registerKmsProvider('local-kms', localKmsProvider);
  registerAwsKms();
  registerGcpKms();
  registerAzureKms();
}
