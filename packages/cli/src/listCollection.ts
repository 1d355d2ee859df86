import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BackupError, type Destinations, type ListedBackup, list } from '@sealstream/backup';
import { hasScheme, type Storage } from '@sealstream/storage';
import { isSealstreamError } from '@sealstream/streams';

/**
 * The backups of a collection, telling a collection that is not there from an empty one: a local
 * collection is absent when its directory does not exist (or is not a directory); on an object
 * store a missing bucket or container is the driver's `ERR_STORAGE_NOT_FOUND`, while a prefix
 * holding no object is an empty collection (object stores have no empty folders to tell apart).
 *
 * @param uri the URI the default locality was opened from (`--in`)
 * @throws {BackupError} `ERR_BACKUP_NOT_FOUND` naming the redacted URI when the collection is absent
 */
export async function listCollection(
  destinations: Destinations,
  uri: string,
): Promise<ListedBackup[]> {
  const storage = destinations.get('default') as Storage;
  const root = localRoot(uri, storage);
  if (root !== undefined) {
    const why = await stat(root).then(
      (st) => (st.isDirectory() ? undefined : 'not a directory'),
      (e: NodeJS.ErrnoException) =>
        e.code === 'ENOENT' || e.code === 'ENOTDIR' ? 'the directory does not exist' : undefined,
    );
    if (why) throw absent(storage, why);
  }
  try {
    return await list({ collection: destinations });
  } catch (e) {
    if (isSealstreamError(e, 'ERR_STORAGE_NOT_FOUND'))
      throw absent(storage, e.message.replace(/\s*\n\s*/g, ' '), e);
    throw e;
  }
}

function absent(storage: Storage, why: string, cause?: unknown): BackupError {
  return new BackupError(
    'ERR_BACKUP_NOT_FOUND',
    `no collection at ${storage.redactedUri}: ${why}`,
    cause === undefined ? {} : { cause },
  );
}

/** The directory of a local collection (a plain path or a `file:` URI), as the file driver opens it. */
function localRoot(uri: string, storage: Storage): string | undefined {
  if (storage.driver !== 'local') return undefined;
  if (!hasScheme(uri)) return resolve(uri);
  const url = new URL(uri);
  if (url.protocol !== 'file:') return undefined;
  url.search = '';
  url.hash = '';
  return fileURLToPath(url);
}
