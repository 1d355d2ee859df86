/** @module @sealstream/kms/node — Node-only parts of @sealstream/kms: the local-kms key-file provider. */
export { localKmsPath, localKmsProvider, registerLocalKms } from './localKmsProvider.node.ts';
export { readLocalKeyFile } from './readLocalKeyFile.node.ts';
export { writeLocalKeyFile } from './writeLocalKeyFile.node.ts';
