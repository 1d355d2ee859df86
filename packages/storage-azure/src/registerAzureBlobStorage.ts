import { registerStorageDriver } from '@sealstream/storage';
import { type AzureBlobStorageOptions, azureBlobStorage } from './azureBlobStorage.ts';

/** URI schemes served by the Azure Blob driver (`azure` and `azure-storage` are CockroachDB's aliases). */
export const AZURE_BLOB_SCHEMES = ['azure-blob', 'azure', 'azure-storage'] as const;

/**
 * Registers the Azure Blob driver for `azure-blob://` (and `azure://`, `azure-storage://`) in the
 * storage registry, so `openStorage('azure-blob://…')` works.
 *
 * @example
 * ```ts
 * import { openStorage } from '@sealstream/storage';
 * import { registerAzureBlobStorage } from '@sealstream/storage-azure';
 * registerAzureBlobStorage();
 * const storage = await openStorage('azure-blob://backups?AUTH=implicit&AZURE_ACCOUNT_NAME=acct');
 * console.log(storage.driver); // azure-blob
 * ```
 */
export function registerAzureBlobStorage(options: AzureBlobStorageOptions = {}): void {
  for (const scheme of AZURE_BLOB_SCHEMES)
    registerStorageDriver(scheme, (uri) => azureBlobStorage(uri, options));
}
