/** @module @sealstream/fs — Node file-system adapters of `@sealstream/backup`: a directory tree as backup entries, and a directory as a restore target. */
export {
  type DirectoryTargetOptions,
  directoryTarget,
  RESTORE_MARKER,
  RESTORE_STAGING,
  restoresOwners,
} from './directoryTarget.ts';
export { excludeRules } from './excludeRules.ts';
export { type FileIdentity, openFile, readSmallFile } from './openFile.ts';
export { type OwnerFiles, type OwnerTable, systemOwners } from './systemOwners.ts';
export { type WalkOptions, walkDirectory } from './walkDirectory.ts';
export { readXattrs, writeXattrs, XattrError, xattrsSupported } from './xattrs.ts';
