/** @module @sealstream/storage-azure — Azure Blob storage driver over @azure/storage-blob. */
export { type AzureBlobStorageOptions, azureBlobStorage } from './azureBlobStorage.ts';
export { registerAzureBlobStorage } from './registerAzureBlobStorage.ts';
