import type { Storage } from '@sealstream/storage';
import { readObject, StorageError } from '@sealstream/storage';
import { BackupError } from './BackupError.ts';

/**
 * Reads a metadata file, stopping as soon as it exceeds `maxBytes` (the stream is cancelled):
 * `ERR_MANIFEST_TOO_LARGE`, so a hostile file costs `maxBytes` and one chunk, not its size.
 */
export async function readMetadata(
  storage: Storage,
  file: string,
  maxBytes: number,
): Promise<Uint8Array> {
  try {
    return await readObject(storage, file, undefined, { maxBytes });
  } catch (e) {
    if (e instanceof StorageError && e.code === 'ERR_STORAGE_TOO_LARGE')
      throw new BackupError(
        'ERR_MANIFEST_TOO_LARGE',
        `larger than ${maxBytes} bytes; not read further`,
        {
          file,
          cause: e,
        },
      );
    throw e;
  }
}
