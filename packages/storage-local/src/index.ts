/** @module @sealstream/storage-local — Local-disk storage driver (file:// URIs and plain paths) with fsync and atomic rename. */

export { type FdReadableOptions, fdReadable, READ_CHUNK_SIZE } from './fdReadable.ts';
export { fsStorageError } from './fsStorageError.ts';
export { openLocalReadable } from './localReadable.ts';
export {
  DEFAULT_DIR_MODE,
  DEFAULT_FILE_MODE,
  type LocalStorageOptions,
  localStorage,
} from './localStorage.ts';
export { localStorageFactory } from './localStorageFactory.ts';
export {
  BACKGROUND_SYNC_BYTES,
  type LocalWriteTarget,
  openLocalWritable,
  WRITE_BUFFER_SIZE,
} from './localWritable.ts';
export { registerLocalStorage } from './registerLocalStorage.ts';
export { syncDirectory } from './syncDirectory.ts';
export { isTempName, tempName } from './tempName.ts';
