/** @module @sealstream/storage/testing — the shared conformance suite (imports vitest; tests only). */

export {
  bytesDiff,
  isStorageError,
  prng,
  sink,
  source,
  streamOf,
  testBytes,
} from './conformanceHelpers.ts';
export { countingStorage } from './countingStorage.ts';
export {
  type MakeStorage,
  type StorageConformanceOptions,
  storageConformance,
} from './storageConformance.ts';
