/** @module @sealstream/manifest — the codecs of a collection: ENCRYPTION_INFO, the key schedule, associated data, pack indexes, tree objects and snapshots. */
export { blobIdHasher } from './blobIdHasher.ts';
export { canonicalJson } from './canonicalJson.ts';
export { type ChainKeys, deriveChainKeys } from './chainKeys.ts';
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
export {
  authenticateEncryptionInfo,
  checkEncryptionInfoMac,
  type UnauthenticatedEncryptionInfo,
} from './encryptionInfoMac.ts';
export { V2_AD_PREFIX, V2_LABELS } from './formatLabels.ts';
export { isSafeObjectName } from './isSafeObjectName.ts';
export { ManifestError } from './ManifestError.ts';
export { type BlobRun, PACK_BLOB_OVERHEAD, type PackCipher, packCipher } from './packCipher.ts';
export {
  decodePackIndex,
  decodePackIndexColumns,
  encodePackIndex,
  MAX_PACK_BLOBS,
  openPackIndex,
  openPackIndexColumns,
  PACK_MAGIC,
  PACK_TRAILER_BYTES,
  type PackedBlob,
  type PackIndex,
  type PackIndexColumns,
  type PackKind,
  packIndexRange,
  sealPackIndex,
} from './packIndex.ts';
export { SEALED_KINDS, type SealedKind, sealedAssociatedData } from './sealedKinds.ts';
export {
  checkSnapshotChain,
  MAX_OWNER_NAMES,
  MAX_SNAPSHOT_BYTES,
  type OwnerName,
  openSnapshot,
  type Snapshot,
  sealSnapshot,
  snapshotDigest,
} from './snapshot.ts';
export {
  compareBytes,
  decodeTree,
  type ExtendedAttribute,
  encodeTree,
  MAX_TREE_ITEMS,
  MAX_XATTRS,
  type TreeEntry,
  type TreeEntryType,
  type TreeObject,
  type TreeRange,
} from './treeCodec.ts';
