/**
 * @module @sealstream/storage/driver — what a storage driver needs beyond the `Storage` contract:
 * the key, prefix and range guards, the URI checks, and the stream adapter of SDK uploads.
 */
export { assertKey, assertListPrefix } from './assertKey.ts';
export { assertRange } from './assertRange.ts';
export { checkStorageParams } from './checkStorageParams.ts';
export { compareKeys } from './compareKeys.ts';
export { emptyRead } from './emptyRead.ts';
export { type HttpFailure, httpStorageError, NETWORK_ERROR_CODES } from './httpStorageError.ts';
export { joinKey } from './joinKey.ts';
export { parseEndpoint } from './parseEndpoint.ts';
export { type UploadStarter, uploadSink } from './uploadSink.ts';
