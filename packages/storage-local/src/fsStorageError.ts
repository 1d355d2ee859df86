import { StorageError, type StorageErrorCode } from '@sealstream/storage';

/**
 * Maps a `node:fs` error to a {@link StorageError} of the local driver: ENOENT/ENOTDIR/EISDIR →
 * `ERR_STORAGE_NOT_FOUND` and EEXIST → `ERR_STORAGE_EXISTS` when reading (when writing they mean
 * the key collides with a directory or a parent is an object: `ERR_STORAGE_IO`; the driver raises
 * `ERR_STORAGE_EXISTS` for `ifAbsent` itself), EACCES/EPERM/EROFS →
 * `ERR_STORAGE_ACCESS_DENIED`, EMFILE/ENFILE/EAGAIN/EBUSY → `ERR_STORAGE_UNAVAILABLE`, anything
 * else → `ERR_STORAGE_IO`. The errno is named in the message; the cause is kept.
 *
 * @example
 * ```ts
 * import { fsStorageError } from './fsStorageError.ts';
 * const e = fsStorageError(Object.assign(new Error('nope'), { code: 'ENOSPC' }), '/backups', 'a', 'write');
 * console.log(e.code, e.message); // ERR_STORAGE_IO local storage /backups key "a": write failed (ENOSPC)
 * ```
 */
export function fsStorageError(
  cause: unknown,
  uri: string,
  key: string | undefined,
  doing: string,
  writing = false,
): StorageError {
  if (cause instanceof StorageError) return cause;
  const errno = (cause as { code?: unknown } | null)?.code;
  let code: StorageErrorCode = 'ERR_STORAGE_IO';
  let what = `${doing} failed`;
  switch (errno) {
    case 'ENOENT':
    case 'ENOTDIR':
    case 'EISDIR':
      if (writing) {
        what = `${doing} failed (${errno}): the key collides with a directory, or one of its parents is an object`;
      } else {
        code = 'ERR_STORAGE_NOT_FOUND';
        what = `${doing}: object not found`;
      }
      break;
    case 'EEXIST':
      if (writing) {
        what = `${doing} failed (EEXIST): the key collides with a directory, or one of its parents is an object`;
      } else {
        code = 'ERR_STORAGE_EXISTS';
        what = `${doing}: object already exists`;
      }
      break;
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      code = 'ERR_STORAGE_ACCESS_DENIED';
      what = `${doing}: permission denied (${String(errno)})`;
      break;
    case 'EMFILE':
    case 'ENFILE':
    case 'EAGAIN':
    case 'EBUSY':
      code = 'ERR_STORAGE_UNAVAILABLE';
      what = `${doing}: resource temporarily unavailable (${String(errno)})`;
      break;
    default:
      if (typeof errno === 'string') what = `${doing} failed (${errno})`;
  }
  return new StorageError(
    code,
    what,
    key === undefined ? { driver: 'local', uri, cause } : { driver: 'local', uri, key, cause },
  );
}
