import type { ChainKeys } from '@sealstream/manifest';
import type { Storage } from '@sealstream/storage';
import {
  CHUNK_CODEC,
  concatBytes,
  decompressChunk,
  encodeHex,
  equalBytes,
} from '@sealstream/streams';
import { BackupError, withFile } from '../BackupError.ts';
import type { BlobIndex, BlobLocation } from './BlobIndex.ts';
import { readBlob, readBlobPieces } from './readBlob.ts';

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
  const { hex, at } = chunkAt(index, id);
  try {
    const encoded = await readBlob(storage, at, keys, hex, index);
    return await decodeChunk(encoded, id, hex, at.plainLength, options);
  } catch (e) {
    throw withFile(e, at.pack);
  }
}

/**
 * {@link readChunk} without its id check, for a restore: the plaintext of a chunk stored raw in
 * the pieces it was opened in (no copy to join them), any other decompressed whole.
 */
export async function readChunkPieces(
  storage: Storage,
  keys: ChainKeys,
  index: BlobIndex,
  id: Uint8Array,
): Promise<Uint8Array[]> {
  const { hex, at } = chunkAt(index, id);
  try {
    const pieces = await readBlobPieces(storage, at, keys, hex, index);
    const first = pieces[0] as Uint8Array;
    let length = -1;
    for (const p of pieces) length += p.length;
    // Stored raw, of the length its index records: its pieces less the codec byte.
    if (
      pieces.length > 1 &&
      first.length > 0 &&
      first[0] === CHUNK_CODEC.raw &&
      length === at.plainLength
    )
      return [first.subarray(1), ...pieces.slice(1)].filter((p) => p.length > 0);
    const encoded = pieces.length === 1 ? first : concatBytes(...pieces);
    return [await decodeChunk(encoded, id, hex, at.plainLength, {})];
  } catch (e) {
    throw withFile(e, at.pack);
  }
}

/** Where chunk `id` is stored, and its id in hex; `ERR_BACKUP_CORRUPT` when no data pack holds it. */
function chunkAt(index: BlobIndex, id: Uint8Array): { hex: string; at: BlobLocation } {
  const hex = encodeHex(id);
  const at = index.get(id);
  if (at === undefined || at.kind !== 'data')
    throw new BackupError('ERR_BACKUP_CORRUPT', `chunk ${hex} is in no pack of the chain`);
  return { hex, at };
}

/** Decompresses a chunk's encoded bytes to exactly `plainLength` (within `maxSize`) and checks its id with `idOf`. */
async function decodeChunk(
  encoded: Uint8Array,
  id: Uint8Array,
  hex: string,
  plainLength: number,
  options: { maxSize?: number; idOf?: (bytes: Uint8Array) => Promise<Uint8Array> },
): Promise<Uint8Array> {
  const plain = await decompressChunk(encoded, {
    maxSize: Math.min(plainLength, options.maxSize ?? MAX_CHUNK_BYTES),
  });
  if (plain.length !== plainLength)
    throw new BackupError(
      'ERR_BACKUP_CORRUPT',
      `chunk ${hex} holds ${plain.length} bytes, its pack index says ${plainLength}`,
    );
  if (options.idOf !== undefined && !equalBytes(await options.idOf(plain), id))
    throw new BackupError('ERR_BACKUP_CORRUPT', `chunk ${hex} does not hash to its id`);
  return plain;
}
