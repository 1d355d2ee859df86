/** @module @sealstream/storage — The Storage interface, storage URI registry, and the shared conformance suite every driver runs. */

export { assertKey, assertListPrefix } from './assertKey.ts';
export { assertRange } from './assertRange.ts';
export { checkStorageParams } from './checkStorageParams.ts';
export { compareKeys } from './compareKeys.ts';
export { emptyRead } from './emptyRead.ts';
export { type HttpFailure, httpStorageError, NETWORK_ERROR_CODES } from './httpStorageError.ts';
export { joinKey } from './joinKey.ts';
export { LOCALITY_PARAM, localityOf, stripLocality } from './localityOf.ts';
export { memoryStorage } from './memoryStorage.ts';
export { parseEndpoint } from './parseEndpoint.ts';
export { type ReadObjectOptions, readObject } from './readObject.ts';
export {
  HARMLESS_STORAGE_PARAMS,
  redactStorageUri,
  SECRET_STORAGE_PARAMS,
} from './redactStorageUri.ts';
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
export { type UploadStarter, uploadSink } from './uploadSink.ts';
export { writeObject } from './writeObject.ts';
