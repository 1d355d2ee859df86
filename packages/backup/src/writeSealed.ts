import {
  DEFAULT_SEGMENT_SIZE,
  encryptStream,
  ciphertextSize as sealedSize,
} from '@sealstream/aead';
import type { Storage } from '@sealstream/storage';
import { withFile } from './BackupError.ts';

/**
 * Streams `source` through the encryptor into `key` of `storage`, counting plaintext bytes.
 * The object becomes visible only if everything succeeds.
 */
export async function writeSealed(
  storage: Storage,
  key: string,
  source: ReadableStream<Uint8Array>,
  options: {
    dek: Uint8Array;
    associatedData: Uint8Array;
    segmentSize?: number;
    /** Expected plaintext size, when known: lets the driver size its buffers (a hint only). */
    size?: number | undefined;
    onBytes?: (n: number) => void;
  },
): Promise<{ plaintextSize: number; ciphertextSize: number }> {
  const segmentSize = options.segmentSize ?? DEFAULT_SEGMENT_SIZE;
  let plaintextSize = 0;
  const onBytes = options.onBytes;
  const countIn = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      plaintextSize += chunk.byteLength;
      onBytes?.(chunk.byteLength);
      controller.enqueue(chunk);
    },
  });
  try {
    const hint = options.size === undefined ? {} : { size: sealedSize(options.size, segmentSize) };
    const sink = await storage.write(key, hint);
    await source
      .pipeThrough(countIn)
      .pipeThrough(
        encryptStream(options.dek, {
          associatedData: options.associatedData,
          segmentSize,
        }),
      )
      .pipeTo(sink);
  } catch (e) {
    throw withFile(e, key);
  }
  // The ciphertext size follows from the format (docs/FORMAT.md §5): no second counter needed.
  return { plaintextSize, ciphertextSize: sealedSize(plaintextSize, segmentSize) };
}
