import { SealstreamError } from '@sealstream/streams';

/**
 * An error of the backup layer. `file` names the file of the collection involved (a storage
 * key), when there is one. Codes (see docs/ERRORS.md):
 * - `ERR_BACKUP_NOT_FOUND`: no backup in the collection, or the named backup/layer is absent.
 * - `ERR_BACKUP_NEW_KEY`: an incremental was given a key its full backup does not have.
 * - `ERR_BACKUP_NO_KEY`: none of the keys given opens the backup.
 * - `ERR_BACKUP_CONFLICT`: another backup claimed the same id (retry).
 * - `ERR_BACKUP_LOCALITY_MISSING`: an object lives in a locality whose destination was not given.
 * - `ERR_BACKUP_LAST_KEY`: alter would remove the last way in.
 * - `ERR_BACKUP_CORRUPT`: a data file does not match its manifest entry.
 * - `ERR_BACKUP_BAD_SOURCE`: an object to back up is invalid (name, type, size).
 * Failures of the layers below keep their own code (e.g. `ERR_AEAD_TAMPERED`) and gain the file.
 */
export class BackupError extends SealstreamError {
  readonly file: string | undefined;

  constructor(code: string, message: string, options?: { file?: string; cause?: unknown }) {
    super(code, options?.file ? `${options.file}: ${message}` : message, options);
    this.file = options?.file;
  }
}

/** Re-raises `e` as a {@link BackupError} naming `file`, keeping a typed cause's code. */
export function withFile(e: unknown, file: string): BackupError {
  if (e instanceof BackupError && e.file) return e;
  const code = e instanceof SealstreamError ? e.code : 'ERR_BACKUP_IO';
  let message = e instanceof Error ? e.message : String(e);
  if (message.startsWith(`${file}: `)) message = message.slice(file.length + 2);
  return new BackupError(code, message, { file, cause: e });
}
