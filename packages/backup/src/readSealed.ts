import { decryptStream } from '@sealstream/aead';
import { type ManifestObject, objectAssociatedData } from '@sealstream/manifest';
import { BackupError, withFile } from './BackupError.ts';
import type { Collection } from './Collection.ts';
import { nameErrors } from './nameErrors.ts';

/**
 * The authenticated plaintext of one object: its data file through the decryptor, checked
 * against the size the manifest records. The stream errors (and so aborts whatever it is piped
 * to) on any mismatch; the error names the data file.
 */
export async function readSealed(
  collection: Collection,
  chainId: string,
  dek: Uint8Array,
  obj: ManifestObject,
  onBytes?: (n: number) => void,
): Promise<ReadableStream<Uint8Array>> {
  const data = obj.data;
  if (!data) return new Blob([]).stream();
  const file = data.path;
  const storage = collection.storageFor(data.locality, file);
  let source: ReadableStream<Uint8Array>;
  try {
    // An object in a pack is its byte range there; any other is its whole data file.
    source =
      data.offset === undefined
        ? await storage.read(file)
        : await storage.read(file, {
            start: data.offset,
            end: data.offset + data.ciphertextSize,
          });
  } catch (e) {
    throw withFile(e, file);
  }
  let seen = 0;
  const check = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      seen += chunk.byteLength;
      if (seen > obj.size) {
        throw new BackupError(
          'ERR_BACKUP_CORRUPT',
          `holds more than the ${obj.size} bytes the manifest records for ${obj.name}`,
          { file },
        );
      }
      onBytes?.(chunk.byteLength);
      controller.enqueue(chunk);
    },
    flush() {
      if (seen !== obj.size) {
        throw new BackupError(
          'ERR_BACKUP_CORRUPT',
          `holds ${seen} bytes, the manifest records ${obj.size} for ${obj.name}`,
          { file },
        );
      }
    },
  });
  const plain = source
    .pipeThrough(
      decryptStream(dek, { associatedData: objectAssociatedData(chainId, data.layer, obj.name) }),
    )
    .pipeThrough(check);
  return nameErrors(plain, file);
}
