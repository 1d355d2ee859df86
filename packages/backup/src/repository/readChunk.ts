import type { ChainKeys } from '@sealstream/manifest';
import type { Storage } from '@sealstream/storage';
import { decompressChunk, encodeHex, equalBytes } from '@sealstream/streams';
import { BackupError, withFile } from '../BackupError.ts';
import type { BlobIndex } from './BlobIndex.ts';
import { readBlob } from './readBlob.ts';

/** The largest chunk a reader accepts: the chunker's largest maximum (docs/CHUNKING.md). */
const MAX_CHUNK_BYTES = 1 << 30;

/**
 * Reads one data blob by chunk id: a ranged read of its pack, opened with its pack's key (for its
 * place, chain and chunk id), decompressed to exactly the length its pack index
 * records (and within `maxSize`), and checked against its id (the keyed MAC of the plaintext). Any failure is a typed error naming the pack.
 *
 * @example
 * ```ts
 * const bytes = await readChunk(storage, keys, index, chunkId);
 * ```
 */
export async function readChunk(
  storage: Storage,
  keys: ChainKeys,
  index: BlobIndex,
  id: Uint8Array,
  options: { maxSize?: number; idOf?: (bytes: Uint8Array) => Promise<Uint8Array> } = {},
): Promise<Uint8Array> {
  const hex = encodeHex(id);
  const at = index.get(id);
  if (at === undefined || at.kind !== 'data')
    throw new BackupError('ERR_BACKUP_CORRUPT', `chunk ${hex} is in no pack of the chain`);
  try {
    const encoded = await readBlob(storage, at, keys, hex, index);
    const plain = await decompressChunk(encoded, {
      maxSize: Math.min(at.plainLength, options.maxSize ?? MAX_CHUNK_BYTES),
    });
    if (plain.length !== at.plainLength)
      throw new BackupError(
        'ERR_BACKUP_CORRUPT',
        `chunk ${hex} holds ${plain.length} bytes, its pack index says ${at.plainLength}`,
      );
    if (options.idOf !== undefined && !equalBytes(await options.idOf(plain), id))
      throw new BackupError('ERR_BACKUP_CORRUPT', `chunk ${hex} does not hash to its id`);
    return plain;
  } catch (e) {
    throw withFile(e, at.pack);
  }
}
