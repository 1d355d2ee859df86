/** @module @sealstream/storage — The Storage interface, storage URI registry, and the shared conformance suite every driver runs. */

export { LOCALITY_PARAM, localityOf, stripLocality } from './localityOf.ts';
export { memoryStorage } from './memoryStorage.ts';
export { type ReadObjectOptions, readObject } from './readObject.ts';
export { HARMLESS_STORAGE_PARAMS, redactStorageUri } from './redactStorageUri.ts';
export {
  hasScheme,
  openStorage,
  registerStorageDriver,
  type StorageDriverOptions,
  storageSchemes,
  unregisterStorageDriver,
} from './registry.ts';
export type {
  ByteRange,
  ObjectInfo,
  Storage,
  StorageCapabilities,
  StorageFactory,
  WriteOptions,
} from './Storage.ts';
export {
  STORAGE_ERROR_CODES,
  StorageError,
  type StorageErrorCode,
  type StorageErrorContext,
} from './StorageError.ts';
export { writeObject } from './writeObject.ts';
