import type { KeyWrapper } from '@sealstream/kms';
import type { ManifestObject } from '@sealstream/manifest';
import type { Storage } from '@sealstream/storage';
import { BackupError, withFile } from './BackupError.ts';
import type { Progress, RestoreTarget } from './BackupSource.ts';
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

export interface RestoreOptions {
  /** The collection: one storage, or one per locality. */
  from: Storage | Destinations | Record<string, Storage>;
  /** `LATEST` (default), a full backup id, or an incremental layer id. */
  backup?: string;
  /** Restore the chain as of this layer (full id, layer id, or its last part). */
  asOf?: string;
  /** Any one of the backup's KMS keys or its passphrase. */
  keys: KeyWrapper[];
  target: RestoreTarget;
  /** Restore only these objects (a directory name selects everything under it). */
  objects?: string[];
  /** Files written at once (default 8), of which at most `largeConcurrency` (default 2) of 8 MiB or more. */
  concurrency?: number;
  largeConcurrency?: number;
  onProgress?: (p: Progress) => void;
}

export interface RestoreResult {
  /** The layer restored. */
  id: string;
  full: string;
  objects: number;
  bytes: number;
  /** The redacted URI of the key that opened the backup, and the keys that failed first. */
  openedWith: string;
  keyFailures: { uri: string; code: string; message: string }[];
}

/** Selects the objects named (each name and everything under it); unknown names are an error. */
export function selectObjects(
  objects: readonly ManifestObject[],
  names: readonly string[] | undefined,
): ManifestObject[] {
  if (!names || names.length === 0) return [...objects];
  const wanted = names.map((n) => n.replace(/^\/+|\/+$/g, ''));
  const out = objects.filter((o) => wanted.some((w) => o.name === w || o.name.startsWith(`${w}/`)));
  for (const w of wanted) {
    if (!out.some((o) => o.name === w || o.name.startsWith(`${w}/`))) {
      throw new BackupError(
        'ERR_BACKUP_NOT_FOUND',
        `no object named ${JSON.stringify(w)} in this backup`,
      );
    }
  }
  return out;
}

/**
 * Restores a backup layer — exactly the tree as it was when that layer was taken — into
 * `target`. Directories first, then files (several at once), then symlinks. Every byte is
 * authenticated before it is written, and a file appears under its name only when complete.
 *
 * @example
 * ```ts
 * import { restore } from '@sealstream/backup';
 * // `target` is a RestoreTarget, e.g. the CLI's directoryTarget('/tmp/out').
 * await restore({ from: storage, keys: [passphraseWrapper(pass)], target });
 * ```
 */
export async function restore(options: RestoreOptions): Promise<RestoreResult> {
  const collection = new Collection(options.from);
  const { chain, layer, manifest } = await openLayer(
    collection,
    options.keys,
    options.backup,
    options.asOf,
  );
  const objects = selectObjects(manifest.objects, options.objects);
  await options.target.begin?.(objects.map(({ name, type, size }) => ({ name, type, size })));
  // Fail before writing anything when a locality's destination is missing.
  for (const o of objects) if (o.data) collection.storageFor(o.data.locality, o.data.path);
  const totalBytes = objects.reduce((n, o) => n + o.size, 0);
  const progress = progressReporter('restore', options.onProgress, {
    totalObjects: objects.length,
    totalBytes,
  });
  const { target } = options;

  for (const o of objects) {
    if (o.type === 'dir') {
      await target.mkdir(o.name, meta(o));
      progress.object();
    }
  }
  const files = objects.filter((o) => o.type === 'file' || o.type === 'stream');
  const large = new Semaphore(options.largeConcurrency ?? DEFAULT_LARGE_CONCURRENCY);
  await mapConcurrent(files, options.concurrency ?? DEFAULT_CONCURRENCY, async (o) => {
    const one = async () => {
      const source = await readSealed(collection, chain.info.chainId, chain.dek, o, (n) =>
        progress.bytes(n),
      );
      const sink = await target.writeFile(o.name, { ...meta(o), size: o.size });
      try {
        await source.pipeTo(sink);
      } catch (e) {
        throw o.data ? withFile(e, o.data.path) : e;
      }
    };
    await (o.size >= LARGE_OBJECT_BYTES ? large.run(one) : one());
    progress.object();
  });
  for (const o of objects) {
    if (o.type === 'symlink') {
      await target.symlink(
        o.name,
        o.target as string,
        o.mtime === undefined ? {} : { mtime: o.mtime },
      );
      progress.object();
    }
  }
  await target.finish?.();
  progress.done();
  return {
    id: layer,
    full: chain.full,
    objects: objects.length,
    bytes: totalBytes,
    openedWith: chain.openedWith,
    keyFailures: chain.failures,
  };
}

function meta(o: ManifestObject): { mode?: number; mtime?: number } {
  const m: { mode?: number; mtime?: number } = {};
  if (o.mode !== undefined) m.mode = o.mode;
  if (o.mtime !== undefined) m.mtime = o.mtime;
  return m;
}
