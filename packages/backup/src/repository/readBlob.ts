import { decrypt } from '@sealstream/aead';
import { readObject, type Storage } from '@sealstream/storage';
import { BackupError } from '../BackupError.ts';
import type { BlobLocation } from './BlobIndex.ts';

/**
 * The opened plaintext of one blob: a ranged read of its pack (exactly its sealed bytes), opened
 * with `key` and the blob's associated data. Failures keep their code; the caller names the pack.
 */
export async function readBlob(
  storage: Storage,
  at: BlobLocation,
  key: Uint8Array,
  associatedData: Uint8Array,
): Promise<Uint8Array> {
  const sealed = await readObject(storage, at.pack, {
    start: at.offset,
    end: at.offset + at.sealedLength,
  });
  if (sealed.length !== at.sealedLength)
    throw new BackupError('ERR_BACKUP_CORRUPT', `the pack ends inside a blob at ${at.offset}`);
  return decrypt(key, sealed, { associatedData });
}
