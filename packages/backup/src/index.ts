/** @module @sealstream/backup — backup collections: backup, restore, show, list, verify, alter. */

export { type ExtendedAttribute, MAX_XATTRS } from '@sealstream/manifest';
export { type AlterOptions, type AlterResult, alter } from './alter.ts';
export { BackupError } from './BackupError.ts';
export type { BackupEntry, EntryMeta, EntryStat, Progress, RestoreTarget } from './BackupSource.ts';
export { SMALL_FILE_BYTES } from './BackupSource.ts';
export { type BackupOptions, type BackupResult, backup } from './backup.ts';
export {
  FULL_ID,
  fullBackupId,
  fullOf,
  INCREMENTAL_ID,
  incrementalBackupId,
  isBackupId,
} from './backupId.ts';
export { Collection, type Destinations, SNAPSHOT } from './Collection.ts';
export {
  type ForgetChain,
  type ForgetLayer,
  type ForgetOptions,
  type ForgetPolicy,
  type ForgetResult,
  forget,
  parseDuration,
} from './forget.ts';
export { type ListedBackup, type ListOptions, list } from './list.ts';
export {
  type KeySummary,
  type ListKeysOptions,
  type ListKeysResult,
  listKeys,
} from './listKeys.ts';
export {
  DEFAULT_MIN_AGE_MS,
  type PruneItem,
  type PruneOptions,
  type PruneResult,
  prune,
} from './prune.ts';
export { type ReadRangeOptions, readRange } from './readRange.ts';
export { REKEYED_FROM, type RekeyOptions, type RekeyResult, rekey } from './rekey.ts';
export { type RestoreOptions, type RestoreResult, restore } from './restore.ts';
export { type ShowOptions, type ShowResult, type ShowRow, show } from './show.ts';
export { type VerifyOptions, type VerifyResult, verify } from './verify.ts';
