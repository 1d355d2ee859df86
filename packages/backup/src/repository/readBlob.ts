import type { ChainKeys } from '@sealstream/manifest';
import { readObject, type Storage } from '@sealstream/storage';
import { concatBytes } from '@sealstream/streams';
import { BackupError } from '../BackupError.ts';
import type { BlobIndex, BlobLocation } from './BlobIndex.ts';
import { packCipherOf } from './PackCipherCache.ts';

/**
 * The opened bytes of blob `hex`: a ranged read of its pack (exactly its sealed bytes, or, given
 * the `index` it was found in, through that index's window cache), opened with its pack's key for
 * its place. Failures keep their code; the caller names the pack.
 */
export async function readBlob(
  storage: Storage,
  at: BlobLocation,
  keys: ChainKeys,
  hex: string,
  index?: BlobIndex,
): Promise<Uint8Array> {
  const pieces = await readBlobPieces(storage, at, keys, hex, index);
  return pieces.length === 1 ? (pieces[0] as Uint8Array) : concatBytes(...pieces);
}

/** {@link readBlob}, its bytes in the pieces the engine opened them in (`PackCipher.openPieces`). */
export async function readBlobPieces(
  storage: Storage,
  at: BlobLocation,
  keys: ChainKeys,
  hex: string,
  index?: BlobIndex,
): Promise<Uint8Array[]> {
  const sealed =
    index === undefined
      ? await readObject(storage, at.pack, { start: at.offset, end: at.offset + at.sealedLength })
      : await index.reads.read(storage, at, index.packEnd(at.pack));
  if (sealed.length !== at.sealedLength)
    throw new BackupError('ERR_BACKUP_CORRUPT', `the pack ends inside a blob at ${at.offset}`);
  const cipher = await (index === undefined
    ? packCipherOf(keys, at.kind, at.pack)
    : index.ciphers.get(keys, at.kind, at.pack));
  return cipher.openPieces(at.offset, hex, sealed);
}
