/**
 * @module @sealstream/storage/driver — what a storage driver needs beyond the `Storage` contract:
 * the wrapper that does every method's door work once, the guards, the URI checks, and the
 * stream adapter of SDK uploads.
 */
export { assertKey, assertListPrefix } from './assertKey.ts';
export { assertRange } from './assertRange.ts';
export { checkStorageParams } from './checkStorageParams.ts';
export { compareKeys } from './compareKeys.ts';
export { type DriverCall, DriverStorage, type StorageDriver } from './DriverStorage.ts';
export type { DriverFailure } from './httpStorageError.ts';
export { parseEndpoint } from './parseEndpoint.ts';
export { positiveInt } from './positiveInt.ts';
export { type StorageUriParts, storageUriParts } from './storageUriParts.ts';
export { type UploadStarter, uploadSink } from './uploadSink.ts';
