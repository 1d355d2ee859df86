import { type ChainKeys, type PackCipher, type PackKind, packCipher } from '@sealstream/manifest';

/** Ciphers kept per set of keys: a reader jumping between this many packs derives each key once. */
const KEPT = 256;

/**
 * The ciphers of the packs read lately: a pack's key is derived once
 * (docs/COLLECTION-FORMAT-V2.md §4), not once per blob read from it.
 */
export class PackCipherCache {
  /** By the keys they were derived from, then by kind and pack, least recently used first. */
  readonly #byKeys = new WeakMap<ChainKeys, Map<string, Promise<PackCipher>>>();

  /** The cipher of `pack` (its storage key, which ends with its pack id) under `keys`. */
  get(keys: ChainKeys, kind: PackKind, pack: string): Promise<PackCipher> {
    let ciphers = this.#byKeys.get(keys);
    if (ciphers === undefined) {
      ciphers = new Map();
      this.#byKeys.set(keys, ciphers);
    }
    const name = `${kind}\0${pack}`;
    let cipher = ciphers.get(name);
    if (cipher === undefined) {
      cipher = packCipherOf(keys, kind, pack);
      const kept = ciphers;
      cipher.catch(() => kept.delete(name));
      if (ciphers.size >= KEPT) ciphers.delete(ciphers.keys().next().value as string);
    } else ciphers.delete(name);
    ciphers.set(name, cipher);
    return cipher;
  }
}

/** The cipher of `pack` (a storage key ending in `/<pack id>`), keyed for its kind. */
export function packCipherOf(keys: ChainKeys, kind: PackKind, pack: string): Promise<PackCipher> {
  return packCipher(keys, kind, pack.slice(pack.lastIndexOf('/') + 1));
}
