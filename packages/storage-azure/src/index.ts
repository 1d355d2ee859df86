/** @module @sealstream/storage-azure — Azure Blob storage driver over @azure/storage-blob. */
export { AzureBlobStorage, type AzureBlobStorageOptions } from './AzureBlobStorage.ts';
export { mapAzureError } from './mapAzureError.ts';
export {
  AZURE_BLOB_DRIVER,
  AZURE_BLOB_PARAMS,
  type AzureBlobAuth,
  type AzureBlobLocation,
  parseAzureBlobUri,
} from './parseAzureBlobUri.ts';
export { AZURE_BLOB_SCHEMES, registerAzureBlobStorage } from './registerAzureBlobStorage.ts';
