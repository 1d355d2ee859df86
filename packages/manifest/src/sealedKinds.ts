import { V2_AD_PREFIX } from './formatLabels.ts';

/**
 * Every kind of sealed object of collection format v2, with its kind byte, its version and the
 * fields its associated data names, in order (docs/COLLECTION-FORMAT-V2.md §2).
 */
export const SEALED_KINDS = {
  /** A compressed chunk in a data pack (its AES-GCM additional data): the chain and the chunk id (64 hex digits). */
  dataBlob: { byte: 1, version: 2, fields: ['chainId', 'chunkId'] },
  /** A tree object in a tree pack (its AES-GCM additional data): the chain and the tree id. */
  treeBlob: { byte: 2, version: 2, fields: ['chainId', 'treeId'] },
  /** The index at the end of a pack: the chain and the pack id. */
  packIndex: { byte: 3, version: 1, fields: ['chainId', 'packId'] },
  /** A layer's snapshot: the chain and the layer id. */
  snapshot: { byte: 4, version: 1, fields: ['chainId', 'layerId'] },
  /** An ENCRYPTION_INFO generation's MAC input: the chain and the generation (decimal). */
  keyEnvelope: { byte: 5, version: 1, fields: ['chainId', 'generation'] },
  /** The HKDF info of a pack's key: the chain and the pack id. */
  packKey: { byte: 6, version: 1, fields: ['chainId', 'packId'] },
} as const;

/** The name of a kind of sealed object. */
export type SealedKind = keyof typeof SEALED_KINDS;

const MAX_FIELD_BYTES = 0xffff;
const encoder = new TextEncoder();
const PREFIX = encoder.encode(V2_AD_PREFIX);

/**
 * The associated data of a sealed object of `kind`: unambiguous by construction —
 *
 * ```
 * "sealstream/v2/ad" ‖ 0x00 ‖ kind byte ‖ version ‖ field count ‖ (uint16 length ‖ UTF-8 field)…
 * ```
 *
 * so no two (kind, fields) pairs give the same bytes, whatever the fields hold (a `/` inside a
 * name cannot shift a boundary as it could in a joined path). `fields` must hold exactly the
 * kind's fields, in order, each at most 65,535 UTF-8 bytes.
 *
 * @example
 * ```ts
 * import { sealedAssociatedData } from '@sealstream/manifest';
 * const ad = sealedAssociatedData('snapshot', ['0123456789abcdef0123456789abcdef', '2026/12/06-031500.12']);
 * console.log(ad.length); // 76
 * ```
 */
export function sealedAssociatedData(kind: SealedKind, fields: readonly string[]): Uint8Array {
  const spec = SEALED_KINDS[kind];
  if (spec === undefined) throw new TypeError(`sealedAssociatedData: unknown kind ${String(kind)}`);
  if (!Array.isArray(fields) || fields.length !== spec.fields.length) {
    throw new TypeError(
      `sealedAssociatedData: a ${kind} names ${spec.fields.length} fields (${spec.fields.join(', ')}), received ${Array.isArray(fields) ? fields.length : typeof fields}`,
    );
  }
  const encoded = fields.map((f, i) => {
    if (typeof f !== 'string')
      throw new TypeError(`sealedAssociatedData: ${spec.fields[i]} must be a string`);
    const bytes = encoder.encode(f);
    if (bytes.length > MAX_FIELD_BYTES)
      throw new RangeError(
        `sealedAssociatedData: ${spec.fields[i]} must be at most ${MAX_FIELD_BYTES} bytes, received ${bytes.length}`,
      );
    return bytes;
  });
  const size = PREFIX.length + 4 + encoded.reduce((n, b) => n + 2 + b.length, 0);
  const out = new Uint8Array(size);
  out.set(PREFIX);
  let at = PREFIX.length;
  out[at++] = 0;
  out[at++] = spec.byte;
  out[at++] = spec.version;
  out[at++] = encoded.length;
  for (const b of encoded) {
    out[at++] = b.length >>> 8;
    out[at++] = b.length & 0xff;
    out.set(b, at);
    at += b.length;
  }
  return out;
}
