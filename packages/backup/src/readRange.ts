import type { KeyWrapper } from '@sealstream/kms';
import type { Storage } from '@sealstream/storage';
import { encodeHex } from '@sealstream/streams';
import { BackupError } from './BackupError.ts';
import { Collection, type Destinations } from './Collection.ts';
import { openLayer } from './openLayer.ts';
import { findEntry } from './repository/walkTree.ts';

/** Options of {@link readRange}. */
export interface ReadRangeOptions {
  /** The collection: one storage, or one per locality (`default` holds the metadata). */
  collection: Storage | Destinations | Record<string, Storage>;
  /** `LATEST` (default), a full backup id, or an incremental layer id. */
  backup?: string;
  /** The chain as of this layer (full id, layer id, or its last part). */
  asOf?: string;
  /** Any one of the backup's KMS keys or its passphrase. */
  keys: KeyWrapper[];
  object: string;
  start: number;
  end?: number;
}

/**
 * Plaintext bytes `[start, end)` of one object of a backup. Only the chunks that cover the range
 * are fetched (a ranged read of each; the pack indexes give every chunk's length), one at a time
 * as the stream is read. `end` defaults to the object's size and is clamped to it.
 *
 * @example
 * ```ts
 * import { readRange } from '@sealstream/backup';
 * // The first KiB of db.dump in the latest backup:
 * const head = await readRange({ collection: storage, keys, object: 'db.dump', start: 0, end: 1024 });
 * ```
 */
export async function readRange(options: ReadRangeOptions): Promise<ReadableStream<Uint8Array>> {
  const collection = new Collection(options.collection);
  const { packs, root } = await openLayer(collection, options.keys, options.backup, options.asOf);
  const { entry, path } = await findEntry(packs.trees, root, options.object);
  if (entry.type !== 'file' && entry.type !== 'stream')
    throw new BackupError(
      'ERR_BACKUP_BAD_ARGUMENT',
      `${path || '/'} is a ${entry.type}, not a file or stream`,
    );
  const size = Number(entry.size);
  const end = Math.min(options.end ?? size, size);
  const start = Math.min(Math.max(0, options.start), end);
  // The chunks covering [start, end), and where the range starts in the first of them.
  const wanted: { id: Uint8Array; from: number; to: number }[] = [];
  let offset = 0;
  for (const id of entry.chunks ?? []) {
    const found = packs.locate(id);
    if (found === undefined)
      throw new BackupError(
        'ERR_BACKUP_CORRUPT',
        `chunk ${encodeHex(id)} is in no pack of the chain`,
      );
    const length = found.at.plainLength;
    if (offset + length > start && offset < end)
      wanted.push({ id, from: Math.max(0, start - offset), to: Math.min(length, end - offset) });
    offset += length;
    if (offset >= end) break;
  }
  if (end > start && offset < end)
    throw new BackupError(
      'ERR_BACKUP_CORRUPT',
      `${path}: its chunks hold ${offset} bytes, the tree records ${size}`,
    );
  let next = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const part = wanted[next++];
        if (part === undefined) {
          controller.close();
          return;
        }
        const bytes = await packs.readChunk(part.id);
        controller.enqueue(bytes.subarray(part.from, part.to));
      },
    },
    { highWaterMark: 0 },
  );
}
