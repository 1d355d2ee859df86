/** @module @sealstream/storage-local — Local-disk storage driver (file:// URIs and plain paths) with fsync and atomic rename. */

export { type LocalStorageOptions, localStorage } from './localStorage.ts';
export { registerLocalStorage } from './registerLocalStorage.ts';
