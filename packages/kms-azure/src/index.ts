/** @module @sealstream/kms-azure — Azure Key Vault key wrapper (azure-kms:/// URIs) over @azure/keyvault-keys and @azure/identity. */
export {};
