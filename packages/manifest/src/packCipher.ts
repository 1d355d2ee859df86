import { type AeadEngine, AeadError, defaultEngine } from '@sealstream/aead';
import { concatBytes } from '@sealstream/streams';
import type { ChainKeys } from './chainKeys.ts';
import type { PackKind } from './packIndex.ts';
import { sealedAssociatedData } from './sealedKinds.ts';

/** What sealing adds to a blob in a pack: its 16-byte AES-GCM tag. */
export const PACK_BLOB_OVERHEAD = 16;

/**
 * Seals and opens the blobs of one pack (docs/COLLECTION-FORMAT-V2.md §4). Blob at `offset`
 * with id `hex` is AES-256-GCM under the pack key, nonce `0⁶⁴ ‖ uint32 offset`, additional data
 * `dataBlob(chain id, hex)` or `treeBlob(chain id, hex)`: ciphertext ‖ 16-byte tag.
 */
export interface PackCipher {
  /**
   * Seals `plaintext` as the blob `hex` at pack offset `offset`, writing its sealed bytes into
   * `out` from index `at` (default `offset`: `out` is the whole pack; a writer that holds one
   * piece of the pack at a time gives the blob's place in that piece).
   */
  sealInto(
    out: Uint8Array,
    offset: number,
    hex: string,
    plaintext: Uint8Array,
    at?: number,
  ): Promise<void>;
  /**
   * Seals blobs that follow each other in the pack into `out` from index `at`: blob i, of id
   * `run.ids[32i .. 32i + 32)`, is the next `run.lengths[i]` bytes of `run.plaintexts`, at pack
   * offset `offset` plus the sealed lengths of the blobs before it. The same bytes as
   * {@link PackCipher.sealInto} of each, in one job on another thread where the engine has one.
   */
  sealRun(out: Uint8Array, at: number, offset: number, run: BlobRun): Promise<void>;
  /** Opens the sealed bytes of blob `hex` at `offset`; `ERR_AEAD_TAMPERED` if they do not authenticate. */
  open(offset: number, hex: string, sealed: Uint8Array): Promise<Uint8Array>;
  /**
   * {@link PackCipher.open}, its plaintext in the pieces the engine gives (node:crypto: 64 KiB
   * each), not joined: only after the tag verified.
   */
  openPieces(offset: number, hex: string, sealed: Uint8Array): Promise<Uint8Array[]>;
}

/** Blobs sealed together by {@link PackCipher.sealRun}, packed: ids, plaintexts, lengths. */
export interface BlobRun {
  ids: Uint8Array;
  plaintexts: Uint8Array;
  lengths: Uint32Array;
}

const HEX_DIGITS = new TextEncoder().encode('0123456789abcdef');

function nonceFor(offset: number): Uint8Array {
  if (!Number.isInteger(offset) || offset < 0 || offset > 0xffff_ffff)
    throw new RangeError(`packCipher: a blob offset is a uint32, received ${offset}`);
  const nonce = new Uint8Array(12);
  new DataView(nonce.buffer).setUint32(8, offset);
  return nonce;
}

/**
 * The additional data of the blobs of one pack, `sealedAssociatedData(kind, [chainId, hex])`,
 * made from a copy of one template with the blob's id written in: the bytes are the same, without
 * encoding the chain id again for each of a pack's 100,000 blobs.
 */
function blobAdTemplate(kind: 'dataBlob' | 'treeBlob', chainId: string) {
  const template = sealedAssociatedData(kind, [chainId, '0'.repeat(64)]);
  /** Where the id's 64 hex digits go. */
  const idAt = template.length - 64;
  const aad = (hex: string): Uint8Array => {
    if (hex.length !== 64)
      throw new TypeError(`packCipher: a blob id is 64 hex digits, received ${hex}`);
    const ad = template.slice();
    for (let i = 0; i < 64; i++) ad[idAt + i] = hex.charCodeAt(i);
    return ad;
  };
  return { template, idAt, aad };
}

/**
 * The cipher of pack `packId` of the chain `keys` belong to: its key is derived once per pack,
 *
 * ```
 * pack key = HKDF-SHA256(IKM = key, salt = "", info = packKey(chain id, pack id), L = 32)
 * ```
 *
 * where `key` is the chain's data key for a data pack and its meta key for a tree pack, and the
 * info is the associated data of kind `packKey` (§2). Each pack has its own key, so nonces (the
 * blobs' offsets, distinct within a pack) never repeat under one key; the per-blob cost is one
 * AES-GCM call, not a key derivation.
 *
 * @example
 * ```ts
 * import { deriveChainKeys, packCipher } from '@sealstream/manifest';
 * const keys = await deriveChainKeys(crypto.getRandomValues(new Uint8Array(32)));
 * const cipher = await packCipher(keys, 'data', 'ab'.repeat(16));
 * const pack = new Uint8Array(19);
 * await cipher.sealInto(pack, 0, 'cd'.repeat(32), new Uint8Array([1, 2, 3]));
 * console.log(await cipher.open(0, 'cd'.repeat(32), pack)); // Uint8Array(3) [ 1, 2, 3 ]
 * ```
 */
export async function packCipher(
  keys: Pick<ChainKeys, 'data' | 'meta' | 'chainId'>,
  kind: PackKind,
  packId: string,
  engine: AeadEngine = defaultEngine(),
): Promise<PackCipher> {
  if (kind !== 'data' && kind !== 'tree')
    throw new TypeError(`packCipher: kind must be data or tree, not ${String(kind)}`);
  const { chainId } = keys;
  const packKey = await engine.hkdf(
    kind === 'data' ? keys.data : keys.meta,
    new Uint8Array(0),
    sealedAssociatedData('packKey', [chainId, packId]),
    32,
  );
  const cipher = await engine.createSegmentCipher(packKey, { inFlight: 1 });
  packKey.fill(0);
  const { template, idAt, aad } = blobAdTemplate(
    kind === 'data' ? 'dataBlob' : 'treeBlob',
    chainId,
  );
  const sealInto: PackCipher['sealInto'] = async (out, offset, hex, plaintext, start = offset) => {
    const end = start + plaintext.length + PACK_BLOB_OVERHEAD;
    if (!Number.isInteger(start) || start < 0 || end > out.length)
      throw new RangeError(`packCipher: blob ${hex} at ${offset} does not fit the pack`);
    let at = start;
    for (const piece of await cipher.seal(nonceFor(offset), [plaintext], aad(hex))) {
      out.set(piece, at);
      at += piece.length;
    }
  };
  const openPieces: PackCipher['openPieces'] = async (offset, hex, sealed) => {
    const pieces =
      sealed.length < PACK_BLOB_OVERHEAD
        ? null
        : await cipher.open(nonceFor(offset), [sealed], aad(hex));
    if (pieces === null)
      throw new AeadError(
        'ERR_AEAD_TAMPERED',
        `blob ${hex} at ${offset} of pack ${packId} does not authenticate (damaged, moved or of another chain)`,
      );
    return pieces;
  };
  return {
    sealInto,
    async sealRun(out, at, offset, run) {
      const { ids, plaintexts, lengths } = run;
      const n = lengths.length;
      if (ids.length !== 32 * n || lengths.reduce((x, y) => x + y, 0) !== plaintexts.length)
        throw new RangeError('packCipher: a run of blobs needs a 32-byte id and a length each');
      const size = plaintexts.length + PACK_BLOB_OVERHEAD * n;
      if (!Number.isInteger(at) || at < 0 || at + size > out.length)
        throw new RangeError(`packCipher: blobs from ${offset} do not fit the pack`);
      if (!Number.isInteger(offset) || offset < 0)
        throw new RangeError(`packCipher: a blob offset is a uint32, received ${offset}`);
      const nonces = new Uint8Array(12 * n);
      const aads = new Uint8Array(template.length * n);
      const view = new DataView(nonces.buffer);
      for (let i = 0, o = offset; i < n; o += (lengths[i++] as number) + PACK_BLOB_OVERHEAD) {
        if (o > 0xffff_ffff)
          throw new RangeError(`packCipher: a blob offset is a uint32, received ${o}`);
        view.setUint32(12 * i + 8, o);
        aads.set(template, template.length * i);
        const hexAt = template.length * i + idAt;
        for (let b = 0; b < 32; b++) {
          const byte = ids[32 * i + b] as number;
          aads[hexAt + 2 * b] = HEX_DIGITS[byte >> 4] as number;
          aads[hexAt + 2 * b + 1] = HEX_DIGITS[byte & 15] as number;
        }
      }
      const aadLengths = new Uint32Array(n).fill(template.length);
      const batch = { nonces, plaintexts, plaintextLengths: lengths, aads, aadLengths };
      if (cipher.sealEach !== undefined) return cipher.sealEach(out.subarray(at, at + size), batch);
      for (let i = 0, from = 0; i < n; i++) {
        const to = from + (lengths[i] as number);
        const ad = aads.subarray(template.length * i, template.length * (i + 1));
        const nonce = nonces.subarray(12 * i, 12 * i + 12);
        for (const piece of await cipher.seal(nonce, [plaintexts.subarray(from, to)], ad)) {
          out.set(piece, at);
          at += piece.length;
        }
        from = to;
      }
    },
    openPieces,
    async open(offset, hex, sealed) {
      const pieces = await openPieces(offset, hex, sealed);
      return pieces.length === 1 ? (pieces[0] as Uint8Array) : concatBytes(...pieces);
    },
  };
}
