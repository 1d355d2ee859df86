/** @module @sealstream/storage-azure — Azure Blob storage driver over @azure/storage-blob. */
export { AzureBlobStorage, type AzureBlobStorageOptions } from './AzureBlobStorage.ts';
export { registerAzureBlobStorage } from './registerAzureBlobStorage.ts';
