/** @module @sealstream/manifest — ENCRYPTION_INFO and the sealed manifest. */
export type { BackupManifest, DataRef, ManifestObject, ObjectType } from './BackupManifest.ts';
export { dekCheckValue } from './dekCheckValue.ts';
export {
  decodeEncryptionInfo,
  ENCRYPTION_INFO,
  type EncryptionInfo,
  encodeEncryptionInfo,
  encryptionInfoGeneration,
  encryptionInfoName,
  isValidKeyLabel,
  KEY_ENTRY_ID_PATTERN,
  type KeyEntry,
  MAX_KEY_LABEL,
  wrapContext,
} from './EncryptionInfo.ts';
export { ManifestBuilder } from './ManifestBuilder.ts';
export { ManifestError } from './ManifestError.ts';
export { decodeManifest, encodeManifest, isSafeObjectName, MAX_OBJECTS } from './manifestCodec.ts';
export {
  BACKUP_MANIFEST,
  MAX_MANIFEST_BYTES,
  manifestAssociatedData,
  objectAssociatedData,
  openManifest,
  sealManifest,
} from './sealManifest.ts';
