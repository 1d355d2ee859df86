import type { Storage, StorageFactory } from './Storage.ts';
import { StorageError } from './StorageError.ts';

/** Options of {@link registerStorageDriver}. */
export interface StorageDriverOptions {
  /**
   * Turns a plain path (no scheme) into this driver's URI. Registering it makes this driver the
   * one {@link openStorage} uses for plain paths (the `file` driver does).
   */
  fromPath?: (path: string) => URL;
}

interface Entry {
  factory: StorageFactory;
  fromPath?: (path: string) => URL;
}

const drivers = new Map<string, Entry>();
let pathScheme: string | undefined;

function normalizeScheme(scheme: string): string {
  const s = scheme.replace(/:$/, '').toLowerCase();
  if (!/^[a-z][a-z0-9+.-]+$/.test(s)) {
    throw new TypeError(`Cannot register storage driver: invalid scheme ${JSON.stringify(scheme)}`);
  }
  return s;
}

/**
 * Registers the factory that opens URIs of `scheme` (e.g. `s3`, `file`), replacing any earlier
 * one. Driver packages export a `register…()` function that calls this.
 *
 * @example
 * ```ts
 * import { memoryStorage, openStorage, registerStorageDriver } from '@sealstream/storage';
 * // `fromPath` makes this the driver of plain paths too, as the `file` driver is in Node.
 * registerStorageDriver('mem', (url) => memoryStorage(url.href), { fromPath: (p) => new URL(`mem://${p}`) });
 * console.log((await openStorage('/backups/a')).driver); // memory
 * ```
 */
export function registerStorageDriver(
  scheme: string,
  factory: StorageFactory,
  options: StorageDriverOptions = {},
): void {
  if (typeof factory !== 'function')
    throw new TypeError('Cannot register storage driver: factory must be a function');
  const s = normalizeScheme(scheme);
  drivers.set(s, options.fromPath ? { factory, fromPath: options.fromPath } : { factory });
  if (options.fromPath) pathScheme = s;
  else if (pathScheme === s) pathScheme = undefined;
}

/**
 * Removes the driver of `scheme`; returns whether one was registered.
 *
 * @example
 * ```ts
 * import { memoryStorage, registerStorageDriver, unregisterStorageDriver } from '@sealstream/storage';
 * registerStorageDriver('mem', () => memoryStorage());
 * console.log(unregisterStorageDriver('mem'), unregisterStorageDriver('mem')); // true false
 * ```
 */
export function unregisterStorageDriver(scheme: string): boolean {
  const s = normalizeScheme(scheme);
  if (pathScheme === s) pathScheme = undefined;
  return drivers.delete(s);
}

/**
 * The schemes that have a registered driver, sorted.
 *
 * @example
 * ```ts
 * import { storageSchemes } from '@sealstream/storage';
 * console.log(storageSchemes()); // e.g. ['file', 's3']
 * ```
 */
export function storageSchemes(): string[] {
  return [...drivers.keys()].sort();
}

/**
 * True when `uri` starts with a scheme (two or more characters, so `C:\x` is a path).
 *
 * @example
 * ```ts
 * import { hasScheme } from '@sealstream/storage';
 * console.log(hasScheme('s3://b'), hasScheme('/var/backups'), hasScheme('C:\\backups')); // true false false
 * ```
 */
export function hasScheme(uri: string): boolean {
  return /^[a-zA-Z][a-zA-Z0-9+.-]+:/.test(uri);
}

/**
 * Opens the storage a URI names, through the driver registered for its scheme. A plain path (no
 * scheme) goes to the driver registered with `fromPath` (the `file` driver).
 *
 * @throws {StorageError} `ERR_STORAGE_BAD_URI` for an unparsable URI or an unknown scheme (the
 *   message lists the known ones), or whatever the driver's URI check throws
 *
 * @example
 * ```ts
 * import { openStorage } from '@sealstream/storage';
 * import { registerLocalStorage } from '@sealstream/storage-local';
 * registerLocalStorage();
 * const storage = await openStorage('/tmp/sealstream-example');
 * console.log(storage.driver); // local
 * ```
 */
export async function openStorage(uri: string): Promise<Storage> {
  if (typeof uri !== 'string' || uri === '') {
    throw new StorageError('ERR_STORAGE_BAD_URI', 'a storage URI must be a non-empty string', {
      driver: 'registry',
      uri: String(uri),
    });
  }
  let url: URL;
  let entry: Entry | undefined;
  if (hasScheme(uri)) {
    try {
      url = new URL(uri);
    } catch (cause) {
      throw new StorageError('ERR_STORAGE_BAD_URI', 'not a valid URI', {
        driver: 'registry',
        uri,
        cause,
      });
    }
    entry = drivers.get(url.protocol.slice(0, -1).toLowerCase());
    if (!entry) {
      const known = storageSchemes();
      throw new StorageError(
        'ERR_STORAGE_BAD_URI',
        `no storage driver for scheme "${url.protocol}" (known: ${known.length ? known.map((s) => `${s}:`).join(', ') : 'none registered'}; plain paths use the file driver)`,
        { driver: 'registry', uri },
      );
    }
  } else {
    entry = pathScheme === undefined ? undefined : drivers.get(pathScheme);
    if (!entry?.fromPath) {
      throw new StorageError(
        'ERR_STORAGE_BAD_URI',
        'plain paths need the file driver; register it (registerLocalStorage() from @sealstream/storage-local)',
        { driver: 'registry', uri },
      );
    }
    url = entry.fromPath(uri);
  }
  return await entry.factory(url);
}
