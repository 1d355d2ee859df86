import type { KeyWrapper } from '@sealstream/kms';
import type { Storage } from '@sealstream/storage';
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
  /** Data files read and authenticated. */
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
  for (const id of upTo) {
    const m = await collection.manifest(chain.dek, chain.info.chainId, id);
    for (const o of m.objects) {
      if (o.data && !seen.has(o.data.path)) {
        seen.add(o.data.path);
        collection.storageFor(o.data.locality, o.data.path);
        objects.push(o);
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
  progress.done();
  return {
    full: chain.full,
    layers: upTo,
    files: objects.length,
    bytes: totalBytes,
    openedWith: chain.openedWith,
  };
}
