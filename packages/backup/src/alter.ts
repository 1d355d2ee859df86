import { type KeyWrapper, wrapDataKey } from '@sealstream/kms';
import { encryptionInfoGeneration, wrapContext } from '@sealstream/manifest';
import type { Storage } from '@sealstream/storage';
import { BackupError } from './BackupError.ts';
import { Collection, type Destinations } from './Collection.ts';
import { openChain } from './openChain.ts';

export interface AlterResult {
  full: string;
  /** The ENCRYPTION_INFO generation written. */
  generation: number;
  added: string[];
  removed: string[];
  /** Secret-free ids of the keys that now open the chain. */
  keys: { scheme: string; id: string }[];
}

/**
 * ALTER BACKUP … ADD NEW_KMS / DROP KMS: adds keys (KMS or passphrase) to, or removes keys
 * from, the chain of a backup (the full backup and all its incrementals share one data key),
 * using any current key. No data is rewritten: a new ENCRYPTION_INFO generation is written
 * create-if-absent. When keys are removed, older generations (which still hold the removed
 * keys' wrapped copies) are deleted once the new one is durable. Removing the last key is
 * refused.
 *
 * @example
 * ```ts
 * import { alter } from '@sealstream/backup';
 * await alter({ in: storage, keys: [oldKey], add: [newKey] });
 * ```
 */
export async function alter(options: {
  in: Storage | Destinations | Record<string, Storage>;
  backup?: string;
  /** Any current key of the chain. */
  keys: KeyWrapper[];
  add?: KeyWrapper[];
  remove?: KeyWrapper[];
  now?: () => Date;
}): Promise<AlterResult> {
  const add = options.add ?? [];
  const remove = options.remove ?? [];
  if (add.length === 0 && remove.length === 0) {
    throw new BackupError('ERR_BACKUP_BAD_ARGUMENT', 'alter needs a key to add or to remove');
  }
  const collection = new Collection(options.in);
  const { full } = await collection.resolve(options.backup);
  const chain = await openChain(collection, full, options.keys);
  let entries = [...chain.info.keys];
  for (const w of remove) {
    const kept = entries.filter((e) => !w.matches(e));
    if (kept.length === entries.length) {
      throw new BackupError('ERR_BACKUP_NOT_FOUND', `${w.redactedUri} is not a key of ${full}`, {
        file: chain.file,
      });
    }
    entries = kept;
  }
  const fresh = add.filter((w) => !entries.some((e) => w.scheme !== 'passphrase' && w.matches(e)));
  if (fresh.length > 0)
    entries.push(...(await wrapDataKey(chain.dek, fresh, wrapContext(chain.info.chainId))));
  if (entries.length === 0) {
    throw new BackupError(
      'ERR_BACKUP_LAST_KEY',
      `refusing to remove the last key of ${full}: the backup would be lost`,
      {
        file: chain.file,
      },
    );
  }
  const generation = chain.info.generation + 1;
  await collection.writeEncryptionInfo(full, {
    ...chain.info,
    generation,
    created: (options.now ?? (() => new Date()))().toISOString(),
    keys: entries,
  });
  if (remove.length > 0) {
    for await (const o of collection.main.list(`${full}/ENCRYPTION_INFO`)) {
      const g = encryptionInfoGeneration(o.key.slice(full.length + 1));
      if (g !== undefined && g < generation) await collection.main.delete(o.key);
    }
  }
  return {
    full,
    generation,
    added: fresh.map((w) => w.redactedUri),
    removed: remove.map((w) => w.redactedUri),
    keys: entries.map((e) => ({ scheme: e.scheme, id: e.id })),
  };
}
