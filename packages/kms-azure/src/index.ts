/** @module @sealstream/kms-azure — Azure Key Vault key wrapper (azure-kms:/// URIs) over @azure/keyvault-keys and @azure/identity. */

export { type AzureKmsOptions, azureKeyWrapper } from './azureKeyWrapper.ts';
export {
  AZURE_KMS_PARAMS,
  type AzureKmsConfig,
  parseAzureKmsUri,
  redactAzureKmsUri,
} from './azureKmsUri.ts';
export { registerAzureKms } from './registerAzureKms.ts';
