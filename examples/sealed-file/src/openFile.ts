import { decryptStream } from '@sealstream/aead';
import { type KeyWrapper, unwrapDataKey } from '@sealstream/kms';
import {
  checkEncryptionInfoMac,
  decodeEncryptionInfo,
  dekCheckValue,
  deriveChainKeys,
  wrapContext,
} from '@sealstream/manifest';
import { SealstreamError } from '@sealstream/streams';
import { fileAssociatedData } from './fileAssociatedData.ts';

const MAX_ENVELOPE = 1 << 20;

/** Reads exactly `n` bytes from `reader`, given bytes already read; returns them and the rest. */
async function readExactly(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  have: Uint8Array,
  n: number,
): Promise<{ bytes: Uint8Array; rest: Uint8Array }> {
  let buf = have;
  while (buf.length < n) {
    const { done, value } = await reader.read();
    if (done)
      throw new SealstreamError(
        'ERR_AEAD_TRUNCATED',
        `not a complete sealed file: it ends inside its ${n}-byte header`,
      );
    const next = new Uint8Array(buf.length + value.length);
    next.set(buf);
    next.set(value, buf.length);
    buf = next;
  }
  return { bytes: buf.subarray(0, n), rest: buf.subarray(n) };
}

/**
 * Opens a file made by {@link sealFile} with any one of `wrappers`. The key envelope is read and
 * the data key unwrapped and checked *before* any plaintext is produced, so a wrong passphrase or
 * key rejects this promise (`ERR_KMS_NO_USABLE_KEY`, message naming what was tried) and nothing
 * is written. The returned stream then errors on any damage (`ERR_AEAD_TAMPERED`,
 * `ERR_AEAD_TRUNCATED`, …) — a consumer that pipes it to a sink must abort the sink on error,
 * so a truncated file never becomes a complete-looking output.
 *
 * @example
 * ```ts
 * import { passphraseWrapper } from '@sealstream/kms';
 * import { fromBytes } from '@sealstream/streams';
 * import { openFile, sealFile } from '@sealstream-examples/sealed-file';
 * const sealed = await sealFile(fromBytes(new Uint8Array(10)), [passphraseWrapper('right')]);
 * await openFile(sealed.stream, [passphraseWrapper('wrong')]).catch((e) => console.log(e.code));
 * // 'ERR_KMS_NO_USABLE_KEY'
 * ```
 */
export async function openFile(
  sealed: ReadableStream<Uint8Array>,
  wrappers: readonly KeyWrapper[],
): Promise<ReadableStream<Uint8Array>> {
  if (!(sealed instanceof ReadableStream))
    throw new TypeError('openFile: sealed must be a ReadableStream');
  const reader = sealed.getReader();
  try {
    const head = await readExactly(reader, new Uint8Array(0), 4);
    const length = new DataView(head.bytes.buffer, head.bytes.byteOffset, 4).getUint32(0);
    if (length === 0 || length > MAX_ENVELOPE)
      throw new SealstreamError('ERR_AEAD_BAD_HEADER', 'not a sealed file: bad envelope length');
    const env = await readExactly(reader, head.rest, length);
    const info = decodeEncryptionInfo(env.bytes, 'sealed file envelope');
    const { dek } = await unwrapDataKey(info.keys, wrappers, {
      context: wrapContext(info.chainId),
      check: async (k) => equal(await dekCheckValue(k), info.dekCheck),
    });
    const keys = await deriveChainKeys(dek);
    if (keys.chainId !== info.chainId)
      throw new SealstreamError('ERR_MANIFEST_NOT_AUTHENTIC', 'the envelope names another key');
    await checkEncryptionInfoMac(info, keys.auth, 'sealed file envelope');
    let first: Uint8Array | undefined = env.rest;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (first !== undefined && first.length > 0) {
          controller.enqueue(first);
          first = undefined;
          return;
        }
        first = undefined;
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    });
    const out = body.pipeThrough(
      decryptStream(dek, { associatedData: fileAssociatedData(info.chainId) }),
    );
    dek.fill(0);
    return out;
  } catch (e) {
    await reader.cancel(e).catch(() => {});
    throw e;
  }
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return d === 0;
}
