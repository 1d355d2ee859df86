import { StorageError } from './StorageError.ts';

/**
 * What a driver returns for a read that covers no byte (an empty range, or a range past the
 * end): an empty stream if the object exists, `ERR_STORAGE_NOT_FOUND` if it does not.
 *
 * @example
 * ```ts
 * import { memoryStorage } from '@sealstream/storage';
 * import { emptyRead } from './emptyRead.ts';
 * const s = memoryStorage();
 * await emptyRead(s, 'missing', 'memory:').catch((e) => console.log(e.code)); // ERR_STORAGE_NOT_FOUND
 * ```
 */
export async function emptyRead(
  storage: { driver: string; stat(key: string): Promise<unknown> },
  key: string,
  uri: string,
): Promise<ReadableStream<Uint8Array>> {
  if (!(await storage.stat(key))) {
    throw new StorageError('ERR_STORAGE_NOT_FOUND', 'read failed: not found', {
      driver: storage.driver,
      uri,
      key,
    });
  }
  return new ReadableStream({ start: (c) => c.close() });
}
