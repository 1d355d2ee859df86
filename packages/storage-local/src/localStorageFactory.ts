import { fileURLToPath } from 'node:url';
import { redactStorageUri, type Storage, StorageError } from '@sealstream/storage';
import { checkStorageParams } from '@sealstream/storage/driver';
import { localStorage } from './localStorage.ts';

/**
 * The `file:` driver factory: `file:///abs/path` (host empty or `localhost`). No parameters but
 * `COCKROACH_LOCALITY`.
 *
 * @throws {StorageError} `ERR_STORAGE_BAD_URI` for another scheme, a remote host or an unknown parameter
 *
 * @example
 * ```ts
 * import { localStorageFactory } from './localStorageFactory.ts';
 * const storage = localStorageFactory(new URL('file:///tmp/sealstream-example?COCKROACH_LOCALITY=default'));
 * console.log(storage.driver); // local
 * ```
 */
export function localStorageFactory(url: URL): Storage {
  const bad = (message: string, cause?: unknown): never => {
    throw new StorageError('ERR_STORAGE_BAD_URI', message, {
      driver: 'local',
      uri: url.href,
      cause,
    });
  };
  if (url.protocol !== 'file:') bad(`expected a file: URI, got "${url.protocol}"`);
  if (url.hostname !== '' && url.hostname !== 'localhost')
    bad(`remote hosts are not supported ("${url.hostname}"); use file:///absolute/path`);
  checkStorageParams(url, [], [], 'local');
  let path = '';
  try {
    const bare = new URL(url.href);
    bare.search = '';
    bare.hash = '';
    path = fileURLToPath(bare);
  } catch (cause) {
    bad('not a valid file path', cause);
  }
  return localStorage(path, { uri: redactStorageUri(url.href) });
}
