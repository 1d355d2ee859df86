import { decryptRange } from '@sealstream/aead';
import type { KeyWrapper } from '@sealstream/kms';
import { objectAssociatedData } from '@sealstream/manifest';
import type { Storage } from '@sealstream/storage';
import { readObject } from '@sealstream/storage';
import { BackupError } from './BackupError.ts';
import { Collection, type Destinations } from './Collection.ts';
import { nameErrors } from './nameErrors.ts';
import { openLayer } from './openLayer.ts';

/**
 * Plaintext bytes `[start, end)` of one object of a backup, fetching from storage only the
 * stream header and the segments that cover the range (ranged reads). `end` defaults to the
 * object's size and is clamped to it.
 *
 * @example
 * ```ts
 * import { readRange } from '@sealstream/backup';
 * // The first KiB of db.dump in the latest backup:
 * const head = await readRange({ from: storage, keys, object: 'db.dump', start: 0, end: 1024 });
 * ```
 */
export async function readRange(options: {
  from: Storage | Destinations | Record<string, Storage>;
  backup?: string;
  asOf?: string;
  keys: KeyWrapper[];
  object: string;
  start: number;
  end?: number;
}): Promise<ReadableStream<Uint8Array>> {
  const collection = new Collection(options.from);
  const { chain, manifest } = await openLayer(
    collection,
    options.keys,
    options.backup,
    options.asOf,
  );
  const name = options.object.replace(/^\/+|\/+$/g, '');
  const obj = manifest.objects.find((o) => o.name === name);
  if (!obj)
    throw new BackupError(
      'ERR_BACKUP_NOT_FOUND',
      `no object named ${JSON.stringify(name)} in ${manifest.backupId}`,
    );
  if (obj.type !== 'file' && obj.type !== 'stream') {
    throw new BackupError(
      'ERR_BACKUP_BAD_ARGUMENT',
      `${name} is a ${obj.type}, not a file or stream`,
    );
  }
  const end = Math.min(options.end ?? obj.size, obj.size);
  const start = Math.min(options.start, end);
  const data = obj.data;
  if (!data || start === end) return new Blob([]).stream();
  const storage = collection.storageFor(data.locality, data.path);
  const plain = decryptRange(chain.dek, {
    associatedData: objectAssociatedData(chain.info.chainId, data.layer, obj.name),
    ciphertextSize: data.ciphertextSize,
    start,
    end,
    read: (offset, length) => {
      const start = (data.offset ?? 0) + offset;
      return readObject(storage, data.path, { start, end: start + length });
    },
  });
  return nameErrors(plain, data.path);
}
