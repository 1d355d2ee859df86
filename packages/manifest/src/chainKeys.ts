import { encodeHex } from '@sealstream/streams';
import { V2_LABELS } from './formatLabels.ts';

/** The keys of one chain, all derived from its root key (docs/COLLECTION-FORMAT-V2.md §1). */
export interface ChainKeys {
  /** 32 lower-case hex digits: the chain's id, committed to its root key. */
  chainId: string;
  /** HMAC-SHA256 key of chunk ids. */
  chunkId: Uint8Array;
  /** HMAC-SHA256 key of tree ids. */
  treeId: Uint8Array;
  /** Key of the content-defined chunker (`GearChunker`'s `key`). */
  chunker: Uint8Array;
  /** Stream-format key (the `dek` of `encrypt`) of data blobs. */
  data: Uint8Array;
  /** Stream-format key of tree blobs, pack indexes and snapshots. */
  meta: Uint8Array;
  /** HMAC-SHA256 key authenticating ENCRYPTION_INFO generations. */
  auth: Uint8Array;
}

/** HKDF-SHA256 with an empty salt, `info` = the label's UTF-8 bytes (RFC 5869). */
async function hkdf(root: Uint8Array, label: string, length: number): Promise<Uint8Array> {
  const ikm = await crypto.subtle.importKey('raw', root as Uint8Array<ArrayBuffer>, 'HKDF', false, [
    'deriveBits',
  ]);
  const bits = await crypto.subtle.deriveBits(
    {
      name: 'HKDF',
      hash: 'SHA-256',
      salt: new Uint8Array(0),
      info: new TextEncoder().encode(label),
    },
    ikm,
    length * 8,
  );
  return new Uint8Array(bits);
}

/**
 * Derives every key of a chain from its 32-byte root key (the data key ENCRYPTION_INFO wraps):
 * `K = HKDF-SHA256(IKM = root, salt = "", info = label, L = 32)` for each label of
 * {@link V2_LABELS}, and the chain id as 16 bytes (32 hex digits) of the same derivation under
 * `sealstream/v2/chain-id`. Because the chain id is derived from the root key, a reader that
 * unwrapped a key can tell at once whether it is the key of the chain it reads: a key wrapped by
 * someone else names another chain.
 *
 * @example
 * ```ts
 * import { deriveChainKeys } from '@sealstream/manifest';
 * const keys = await deriveChainKeys(crypto.getRandomValues(new Uint8Array(32)));
 * console.log(keys.chainId.length, keys.data.length); // 32 32
 * ```
 */
export async function deriveChainKeys(root: Uint8Array): Promise<ChainKeys> {
  if (!(root instanceof Uint8Array) || root.length !== 32) {
    throw new RangeError(
      `deriveChainKeys: the root key must be 32 bytes, received ${root instanceof Uint8Array ? `${root.length} bytes` : typeof root}`,
    );
  }
  const [id, chunkId, treeId, chunker, data, meta, auth] = await Promise.all([
    hkdf(root, V2_LABELS.chainId, 16),
    hkdf(root, V2_LABELS.chunkId, 32),
    hkdf(root, V2_LABELS.treeId, 32),
    hkdf(root, V2_LABELS.chunker, 32),
    hkdf(root, V2_LABELS.data, 32),
    hkdf(root, V2_LABELS.meta, 32),
    hkdf(root, V2_LABELS.auth, 32),
  ]);
  return {
    chainId: encodeHex(id as Uint8Array),
    chunkId: chunkId as Uint8Array,
    treeId: treeId as Uint8Array,
    chunker: chunker as Uint8Array,
    data: data as Uint8Array,
    meta: meta as Uint8Array,
    auth: auth as Uint8Array,
  };
}
