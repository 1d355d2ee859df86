import {
  blobIdHasher,
  type ChainKeys,
  decodeTree,
  encodeTree,
  type TreeObject,
} from '@sealstream/manifest';
import { type Storage, writeObject } from '@sealstream/storage';
import { BackupError, withFile } from '../BackupError.ts';
import { type BlobIndex, blobKey } from './BlobIndex.ts';
import { PackAssembler } from './PackAssembler.ts';
import { packKey } from './packKey.ts';
import { readBlob } from './readBlob.ts';

/**
 * Stores and reads the tree objects of a chain (docs/COLLECTION-FORMAT-V2.md §5): each tree is
 * encoded, named by its tree id, and — unless the chain already has it (an unchanged directory)
 * — sealed under the meta key into a tree pack. Reading opens the tree blob and checks that it
 * hashes to its id.
 *
 * @example
 * ```ts
 * const trees = new TreeStore({ storage, chain, keys, index });
 * const id = await trees.put({ kind: 'entries', entries });
 * await trees.finish();
 * const back = await trees.get(id);
 * ```
 */
export class TreeStore {
  readonly #storage: Storage;
  readonly #chain: string;
  readonly #keys: ChainKeys;
  readonly #index: BlobIndex;
  readonly #packBytes: number;
  readonly #idOf: (bytes: Uint8Array) => Promise<Uint8Array>;
  readonly #packer: PackAssembler;
  readonly #pending = new Map<string, Uint8Array>();
  /** Tree blobs written by this store. */
  written = 0;

  constructor(options: {
    storage: Storage;
    chain: string;
    keys: ChainKeys;
    index: BlobIndex;
    packBytes?: number;
  }) {
    this.#storage = options.storage;
    this.#chain = options.chain;
    this.#keys = options.keys;
    this.#index = options.index;
    this.#packBytes = options.packBytes ?? 4 * 1024 * 1024;
    this.#idOf = blobIdHasher(options.keys.treeId);
    this.#packer = new PackAssembler('tree', options.keys);
  }

  /** Stores a tree (if the chain lacks it) and returns its id. */
  async put(tree: TreeObject): Promise<Uint8Array> {
    const encoded = encodeTree(tree);
    const id = await this.#idOf(encoded);
    const hex = blobKey(id);
    if (this.#index.has(id) || this.#pending.has(hex)) return id;
    this.#packer.add(id, encoded, encoded.length);
    this.#pending.set(hex, encoded);
    this.written++;
    if (this.#packer.bytes >= this.#packBytes) await this.#flush();
    return id;
  }

  /** Reads a tree by id: from this run's unwritten trees, or from its pack. */
  async get(id: Uint8Array): Promise<TreeObject> {
    const hex = blobKey(id);
    const pending = this.#pending.get(hex);
    if (pending !== undefined) return decodeTree(pending);
    const at = this.#index.get(id);
    if (at === undefined || at.kind !== 'tree')
      throw new BackupError('ERR_BACKUP_CORRUPT', `tree ${hex} is in no pack of the chain`);
    try {
      const encoded = await readBlob(this.#storage, at, this.#keys, hex, this.#index);
      if (blobKey(await this.#idOf(encoded)) !== hex)
        throw new BackupError('ERR_BACKUP_CORRUPT', `tree ${hex} does not hash to its id`);
      return decodeTree(encoded, at.pack);
    } catch (e) {
      throw withFile(e, at.pack);
    }
  }

  async #flush(): Promise<void> {
    if (this.#packer.count === 0) return;
    const pack = await this.#packer.assemble();
    const key = packKey(this.#chain, pack.packId);
    await writeObject(this.#storage, key, pack.readable, { ifAbsent: true, size: pack.size });
    this.#index.addPack(key, 'tree', pack.index);
    const { ids } = pack.index;
    for (let i = 0; i < ids.length; i += 32) this.#pending.delete(blobKey(ids.subarray(i, i + 32)));
  }

  /** Writes the open tree pack. */
  async finish(): Promise<void> {
    await this.#flush();
  }
}
