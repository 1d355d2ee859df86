import {
  type ChainKeys,
  type PackedBlob,
  type PackKind,
  sealPackIndex,
} from '@sealstream/manifest';
import { encodeHex } from '@sealstream/streams';

/** A blob waiting in a pack being assembled: its id, sealed bytes and plaintext length. */
interface PendingBlob {
  id: Uint8Array;
  sealed: Uint8Array;
  plainLength: number;
}

/** A pack ready to be written: its id, its bytes and its index (blobs in pack order). */
export interface AssembledPack {
  packId: string;
  kind: PackKind;
  bytes: Uint8Array;
  blobs: PackedBlob[];
}

/**
 * Collects sealed blobs of one kind into a pack (docs/COLLECTION-FORMAT-V2.md §4): when it is
 * assembled, the blobs are put in a random order (never the order they came in, which follows
 * the files), followed by the pack's sealed index and trailer. Memory: the pack's bytes.
 *
 * @example
 * ```ts
 * import { deriveChainKeys } from '@sealstream/manifest';
 * import { PackAssembler } from './PackAssembler.ts';
 * const keys = await deriveChainKeys(crypto.getRandomValues(new Uint8Array(32)));
 * const packer = new PackAssembler('data', keys);
 * packer.add(new Uint8Array(32).fill(1), new Uint8Array(120), 20);
 * const pack = await packer.assemble();
 * console.log(pack.blobs.length); // 1
 * ```
 */
export class PackAssembler {
  readonly kind: PackKind;
  readonly #keys: ChainKeys;
  #blobs: PendingBlob[] = [];
  #bytes = 0;

  constructor(kind: PackKind, keys: ChainKeys) {
    this.kind = kind;
    this.#keys = keys;
  }

  /** Sealed bytes collected so far. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Blobs collected so far. */
  get count(): number {
    return this.#blobs.length;
  }

  /** Adds a sealed blob. */
  add(id: Uint8Array, sealed: Uint8Array, plainLength: number): void {
    this.#blobs.push({ id, sealed, plainLength });
    this.#bytes += sealed.length;
  }

  /** Shuffles the blobs, seals the index under a fresh pack id and empties the assembler. */
  async assemble(): Promise<AssembledPack> {
    const blobs = shuffle(this.#blobs);
    this.#blobs = [];
    this.#bytes = 0;
    const packId = encodeHex(crypto.getRandomValues(new Uint8Array(16)));
    let offset = 0;
    const index: PackedBlob[] = blobs.map((b) => {
      const entry = { id: b.id, offset, sealedLength: b.sealed.length, plainLength: b.plainLength };
      offset += b.sealed.length;
      return entry;
    });
    const tail = await sealPackIndex(this.#keys.meta, this.#keys.chainId, packId, {
      kind: this.kind,
      blobs: index,
    });
    const bytes = new Uint8Array(offset + tail.length);
    for (const [i, b] of blobs.entries()) bytes.set(b.sealed, (index[i] as PackedBlob).offset);
    bytes.set(tail, offset);
    return { packId, kind: this.kind, bytes, blobs: index };
  }
}

/** getRandomValues fills at most 65,536 bytes per call. */
const RANDOM_WORDS_PER_CALL = 16384;

/** A uniformly random permutation (Fisher–Yates over crypto.getRandomValues). */
export function shuffle<T>(items: readonly T[]): T[] {
  const out = [...items];
  const random = new Uint32Array(out.length);
  for (let i = 0; i < random.length; i += RANDOM_WORDS_PER_CALL)
    crypto.getRandomValues(random.subarray(i, i + RANDOM_WORDS_PER_CALL));
  for (let i = out.length - 1; i > 0; i--) {
    const j = (random[i] as number) % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
