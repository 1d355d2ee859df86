import { decrypt } from '@sealstream/aead';
import { readObject, type Storage } from '@sealstream/storage';
import { BackupError } from '../BackupError.ts';
import type { BlobIndex, BlobLocation } from './BlobIndex.ts';

/**
 * The opened plaintext of one blob: a ranged read of its pack (exactly its sealed bytes, or, given
 * the `index` it was found in, through that index's window cache), opened with `key` and the
 * blob's associated data. Failures keep their code; the caller names the pack.
 */
export async function readBlob(
  storage: Storage,
  at: BlobLocation,
  key: Uint8Array,
  associatedData: Uint8Array,
  index?: BlobIndex,
): Promise<Uint8Array> {
  const sealed =
    index === undefined
      ? await readObject(storage, at.pack, { start: at.offset, end: at.offset + at.sealedLength })
      : await index.reads.read(storage, at, index.packEnd(at.pack));
  if (sealed.length !== at.sealedLength)
    throw new BackupError('ERR_BACKUP_CORRUPT', `the pack ends inside a blob at ${at.offset}`);
  return decrypt(key, sealed, { associatedData });
}
