import { StorageError, type StorageErrorCode } from '@sealstream/storage';

/** Maps a `node:fs` error to a {@link StorageError} of the local driver. */
export function fsStorageError(
  cause: unknown,
  uri: string,
  key: string | undefined,
  doing: string,
): StorageError {
  if (cause instanceof StorageError) return cause;
  const errno = (cause as { code?: unknown } | null)?.code;
  let code: StorageErrorCode = 'ERR_STORAGE_IO';
  let what = `${doing} failed`;
  switch (errno) {
    case 'ENOENT':
    case 'ENOTDIR':
    case 'EISDIR':
      code = 'ERR_STORAGE_NOT_FOUND';
      what = `${doing}: object not found`;
      break;
    case 'EEXIST':
      code = 'ERR_STORAGE_EXISTS';
      what = `${doing}: object already exists`;
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
