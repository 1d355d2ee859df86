import { ciphertextSize, DEFAULT_SEGMENT_SIZE, encryptStream } from '@sealstream/aead';
import { type KeyWrapper, wrapDataKey } from '@sealstream/kms';
import {
  authenticateEncryptionInfo,
  dekCheckValue,
  deriveChainKeys,
  encodeEncryptionInfo,
  wrapContext,
} from '@sealstream/manifest';
import { fileAssociatedData } from './fileAssociatedData.ts';

/** A sealed file being produced: its bytes as a stream, and its exact size for a given input size. */
export interface SealedFile {
  /** The sealed bytes: 4-byte big-endian envelope length ‖ ENCRYPTION_INFO ‖ sealstream ciphertext. */
  readonly stream: ReadableStream<Uint8Array>;
  /** The exact sealed size for `plaintextBytes` of input (for Content-Length / FixedLengthStream). */
  sizeFor(plaintextBytes: number): number;
}

/**
 * Seals a byte stream into one self-contained file that any of `wrappers` (passphrase, local key,
 * KMS) opens: a random data key (DEK) is wrapped by each wrapper into an ENCRYPTION_INFO envelope
 * (with the DEK check value, so a wrong key is reported before any data is read), followed by the
 * plaintext sealed with {@link encryptStream}, bound to the envelope's chain id. Streaming: memory
 * stays O(segment size × segments in flight) whatever the input size.
 *
 * @example
 * ```ts
 * import { passphraseWrapper } from '@sealstream/kms';
 * import { collect, fromBytes } from '@sealstream/streams';
 * import { openFile, sealFile } from '@sealstream-examples/sealed-file';
 * const sealed = await sealFile(fromBytes(new TextEncoder().encode('hi')), [passphraseWrapper('pw')]);
 * const opened = await openFile(sealed.stream, [passphraseWrapper('pw')]);
 * console.log(new TextDecoder().decode(await collect(opened))); // 'hi'
 * ```
 */
export async function sealFile(
  plaintext: ReadableStream<Uint8Array>,
  wrappers: readonly KeyWrapper[],
  options: { segmentSize?: number } = {},
): Promise<SealedFile> {
  if (!(plaintext instanceof ReadableStream))
    throw new TypeError('sealFile: plaintext must be a ReadableStream');
  if (!Array.isArray(wrappers) || wrappers.length === 0)
    throw new TypeError('sealFile: give at least one key wrapper');
  const segmentSize = options.segmentSize ?? DEFAULT_SEGMENT_SIZE;
  const dek = crypto.getRandomValues(new Uint8Array(32));
  // The envelope names the chain id derived from the DEK and is authenticated under the DEK's
  // auth key, as a collection's ENCRYPTION_INFO is (docs/COLLECTION-FORMAT-V2.md §1–2).
  const { chainId, auth } = await deriveChainKeys(dek);
  const created = new Date().toISOString();
  const wrapped = await wrapDataKey(dek, wrappers, { context: wrapContext(chainId) });
  const info = {
    chainId,
    generation: 1,
    created,
    dekCheck: await dekCheckValue(dek),
    // Entry ids name the ways in: unique within the envelope.
    keys: wrapped.map((k, i) => ({
      ...k,
      entryId: i.toString(16).padStart(8, '0'),
      added: created,
    })),
  };
  const envelope = encodeEncryptionInfo(await authenticateEncryptionInfo(info, auth));
  const prefix = new Uint8Array(4 + envelope.length);
  new DataView(prefix.buffer).setUint32(0, envelope.length);
  prefix.set(envelope, 4);
  const body = plaintext.pipeThrough(
    encryptStream(dek, { associatedData: fileAssociatedData(chainId), segmentSize }),
  );
  dek.fill(0);
  const reader = body.getReader();
  let sentPrefix = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!sentPrefix) {
        sentPrefix = true;
        controller.enqueue(prefix);
        return;
      }
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return { stream, sizeFor: (n) => prefix.length + ciphertextSize(n, segmentSize) };
}
