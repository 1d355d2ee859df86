import type { KeyWrapper } from '@sealstream/kms';
import { blobIdHasher, decodeTree } from '@sealstream/manifest';
import { readObject, type Storage } from '@sealstream/storage';
import { decodeHex, decompressChunk, encodeHex, equalBytes } from '@sealstream/streams';
import { BackupError, withFile } from './BackupError.ts';
import type { Progress } from './BackupSource.ts';
import { Collection, type Destinations } from './Collection.ts';
import { mapConcurrent } from './mapConcurrent.ts';
import { openLayer } from './openLayer.ts';
import { progressReporter } from './progressReporter.ts';
import type { BlobLocation } from './repository/BlobIndex.ts';
import { packCipherOf } from './repository/PackCipherCache.ts';
import { directoryEntries } from './repository/walkTree.ts';

export interface VerifyResult {
  full: string;
  /** Layers checked (the chain up to the selected layer). */
  layers: string[];
  /** Packs read whole, and the blobs (chunks and trees) in them authenticated. */
  packs: number;
  blobs: number;
  /** Plaintext bytes of the data chunks authenticated. */
  bytes: number;
  openedWith: string;
}

/** Options of {@link verify}. */
export interface VerifyOptions {
  /** The collection: one storage, or one per locality (`default` holds the metadata). */
  collection: Storage | Destinations | Record<string, Storage>;
  /** `LATEST` (default), a full backup id, or an incremental layer id. */
  backup?: string;
  /** The chain as of this layer (full id, layer id, or its last part). */
  asOf?: string;
  /** Any one of the backup's KMS keys or its passphrase. */
  keys: KeyWrapper[];
  /** Packs read at once (default 4). */
  concurrency?: number;
  /** Called with the blobs and bytes authenticated so far, at most a few times a second. */
  onProgress?: (p: Progress) => void;
}

/**
 * Reads and authenticates every byte of a chain up to a layer and writes nothing:
 * ENCRYPTION_INFO, every snapshot (as one chain: each names its parent's digest), every pack
 * (its index, then each blob opened, decompressed and checked against its id), and every tree
 * of every layer, checking that each chunk and tree it names is stored. Any failure is a typed
 * error naming the file.
 *
 * @example
 * ```ts
 * import { verify } from '@sealstream/backup';
 * const r = await verify({ collection: storage, keys: [passphraseWrapper(pass)] });
 * console.log(`${r.blobs} blobs, ${r.bytes} bytes authenticated`);
 * ```
 */
export async function verify(options: VerifyOptions): Promise<VerifyResult> {
  const collection = new Collection(options.collection);
  const { chain, keys, layers, packs } = await openLayer(
    collection,
    options.keys,
    options.backup,
    options.asOf,
  );
  const byPack = new Map<string, { locality: string; blobs: [string, BlobLocation][] }>();
  let totalBytes = 0;
  let totalBlobs = 0;
  for (const [locality, index] of packs.indexes()) {
    for (const [hex, at] of index.entries()) {
      let pack = byPack.get(`${locality}\0${at.pack}`);
      if (pack === undefined) {
        pack = { locality, blobs: [] };
        byPack.set(`${locality}\0${at.pack}`, pack);
      }
      pack.blobs.push([hex, at]);
      totalBlobs++;
      if (at.kind === 'data') totalBytes += at.plainLength;
    }
  }
  const progress = progressReporter('verify', options.onProgress, {
    totalObjects: totalBlobs,
    totalBytes,
  });
  const chunkId = blobIdHasher(keys.chunkId);
  const treeId = blobIdHasher(keys.treeId);
  await mapConcurrent([...byPack.values()], options.concurrency ?? 4, async (pack) => {
    const { pack: file, kind } = (pack.blobs[0] as [string, BlobLocation])[1];
    try {
      const bytes = await readObject(collection.storageFor(pack.locality, file), file);
      const cipher = await packCipherOf(keys, kind, file);
      for (const [hex, at] of pack.blobs) {
        const sealed = bytes.subarray(at.offset, at.offset + at.sealedLength);
        if (sealed.length !== at.sealedLength)
          throw new BackupError('ERR_BACKUP_CORRUPT', `the pack ends inside blob ${hex}`);
        const data = at.kind === 'data';
        const opened = await cipher.open(at.offset, hex, sealed);
        const plain = data ? await decompressChunk(opened, { maxSize: at.plainLength }) : opened;
        if (plain.length !== at.plainLength)
          throw new BackupError(
            'ERR_BACKUP_CORRUPT',
            `blob ${hex} holds ${plain.length} bytes, its pack index says ${at.plainLength}`,
          );
        if (!equalBytes(await (data ? chunkId : treeId)(plain), decodeHex(hex)))
          throw new BackupError('ERR_BACKUP_CORRUPT', `blob ${hex} does not hash to its id`);
        if (!data) decodeTree(plain, file);
        progress.bytes(data ? plain.length : 0);
        progress.object();
      }
    } catch (e) {
      throw withFile(e, file);
    }
  });
  // Every tree of every layer, and every chunk it names, must be stored.
  const seen = new Set<string>();
  const walk = async (id: Uint8Array): Promise<void> => {
    const hex = encodeHex(id);
    if (seen.has(hex)) return;
    seen.add(hex);
    for await (const e of directoryEntries(packs.trees, id)) {
      if (e.type === 'dir') await walk(e.tree as Uint8Array);
      let size = 0n;
      for (const c of e.chunks ?? []) {
        const found = packs.locate(c);
        if (found === undefined)
          throw new BackupError(
            'ERR_BACKUP_CORRUPT',
            `${e.name}: chunk ${encodeHex(c)} is in no pack of the chain`,
          );
        size += BigInt(found.at.plainLength);
      }
      if (size !== e.size)
        throw new BackupError(
          'ERR_BACKUP_CORRUPT',
          `${e.name}: its chunks hold ${size} bytes, the tree records ${e.size}`,
        );
    }
  };
  for (const { snapshot } of layers) await walk(decodeHex(snapshot.root));
  progress.done();
  return {
    full: chain.full,
    layers: layers.map((l) => l.snapshot.layerId),
    packs: byPack.size,
    blobs: totalBlobs,
    bytes: totalBytes,
    openedWith: chain.openedWith,
  };
}
