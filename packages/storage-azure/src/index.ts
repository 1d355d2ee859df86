/** @module @sealstream/storage-azure — Azure Blob storage driver over @azure/storage-blob. */
export {};
