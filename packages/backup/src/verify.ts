import type { KeyWrapper } from '@sealstream/kms';
import type { Storage } from '@sealstream/storage';
import { BackupError } from './BackupError.ts';
import type { Progress } from './BackupSource.ts';
import { Collection, type Destinations } from './Collection.ts';
import { mapConcurrent } from './mapConcurrent.ts';
import { openLayer } from './openLayer.ts';
import { progressReporter } from './progressReporter.ts';
import { readSealed } from './readSealed.ts';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_LARGE_CONCURRENCY,
  LARGE_OBJECT_BYTES,
  Semaphore,
} from './Semaphore.ts';

export interface VerifyResult {
  full: string;
  /** Layers checked (the chain up to the selected layer). */
  layers: string[];
  /** Sealed objects read and authenticated (each object in a pack counts once). */
  files: number;
  bytes: number;
  openedWith: string;
}

/**
 * Reads and authenticates every byte of a chain up to a layer — ENCRYPTION_INFO, every manifest
 * and every data file — and writes nothing. Any failure is a typed error naming the file.
 *
 * @example
 * ```ts
 * import { verify } from '@sealstream/backup';
 * const r = await verify({ in: storage, keys: [passphraseWrapper(pass)] });
 * console.log(`${r.files} files, ${r.bytes} bytes authenticated`);
 * ```
 */
export async function verify(options: {
  in: Storage | Destinations | Record<string, Storage>;
  backup?: string;
  asOf?: string;
  keys: KeyWrapper[];
  concurrency?: number;
  onProgress?: (p: Progress) => void;
}): Promise<VerifyResult> {
  const collection = new Collection(options.in);
  const { chain, layers, layer } = await openLayer(
    collection,
    options.keys,
    options.backup,
    options.asOf,
  );
  const upTo = layers.slice(0, layers.indexOf(layer) + 1);
  const objects = [];
  const seen = new Set<string>();
  /** Packs: where the last sealed stream in each ends (any byte past it is not ours). */
  const packEnds = new Map<string, { locality: string; path: string; end: number }>();
  for (const id of upTo) {
    const m = await collection.manifest(chain.dek, chain.info.chainId, id);
    for (const o of m.objects) {
      const data = o.data;
      if (data === undefined) continue;
      const where = `${data.locality}\0${data.path}\0${data.offset ?? ''}`;
      if (seen.has(where)) continue;
      seen.add(where);
      collection.storageFor(data.locality, data.path);
      objects.push(o);
      if (data.offset !== undefined) {
        const key = `${data.locality}\0${data.path}`;
        const end = data.offset + data.ciphertextSize;
        const known = packEnds.get(key);
        if (known === undefined || known.end < end)
          packEnds.set(key, { locality: data.locality, path: data.path, end });
      }
    }
  }
  const totalBytes = objects.reduce((n, o) => n + o.size, 0);
  const progress = progressReporter('verify', options.onProgress, {
    totalObjects: objects.length,
    totalBytes,
  });
  const large = new Semaphore(DEFAULT_LARGE_CONCURRENCY);
  await mapConcurrent(objects, options.concurrency ?? DEFAULT_CONCURRENCY, async (o) => {
    const one = async () => {
      const plain = await readSealed(collection, chain.info.chainId, chain.dek, o, (n) =>
        progress.bytes(n),
      );
      await plain.pipeTo(new WritableStream());
    };
    await (o.size >= LARGE_OBJECT_BYTES ? large.run(one) : one());
    progress.object();
  });
  // A pack must end where its last object does: appended bytes mean someone wrote to it.
  for (const { locality, path, end } of packEnds.values()) {
    const info = await collection.storageFor(locality, path).stat(path);
    if (info === undefined || info.size !== end) {
      throw new BackupError(
        'ERR_BACKUP_CORRUPT',
        info === undefined
          ? 'the pack is missing'
          : `the pack holds ${info.size} bytes, its objects end at ${end}`,
        { file: path },
      );
    }
  }
  progress.done();
  return {
    full: chain.full,
    layers: upTo,
    files: objects.length,
    bytes: totalBytes,
    openedWith: chain.openedWith,
  };
}
