/** @module @sealstream/kms-azure — Azure Key Vault key wrapper (azure-kms:/// URIs) over @azure/keyvault-keys and @azure/identity. */

export {
  AZURE_KMS_PARAMS,
  type AzureKmsConfig,
  parseAzureKmsUri,
  redactAzureKmsUri,
} from './azureKmsUri.ts';
export { type AzureKmsOptions, createAzureKeyWrapper } from './createAzureKeyWrapper.ts';
export { registerAzureKms } from './registerAzureKms.ts';
