import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { registerStorageDriver } from '@sealstream/storage';
import { localStorageFactory } from './localStorageFactory.ts';

/**
 * Registers the local driver for `file:` URIs and plain paths in the storage registry, so
 * `openStorage('/var/backups')` and `openStorage('file:///var/backups')` open it. Idempotent.
 *
 * @example
 * ```ts
 * import { openStorage } from '@sealstream/storage';
 * import { registerLocalStorage } from '@sealstream/storage-local';
 * registerLocalStorage();
 * const storage = await openStorage('./backups');
 * console.log(storage.driver); // local
 * ```
 */
export function registerLocalStorage(): void {
  registerStorageDriver('file', localStorageFactory, {
    fromPath: (path) => pathToFileURL(resolve(path)),
  });
}
