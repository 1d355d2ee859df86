import { type KeyWrapper, MAX_ENTRIES_PER_KEY, wrapDataKey } from '@sealstream/kms';
import { encryptionInfoGeneration, type KeyEntry, wrapContext } from '@sealstream/manifest';
import type { Storage } from '@sealstream/storage';
import { BackupError } from './BackupError.ts';
import { Collection, type Destinations } from './Collection.ts';
import { distinctKeys, identifyAll, newKeyEntries } from './keyEntries.ts';
import { type KeySummary, summariseKey } from './listKeys.ts';
import { entriesOpenedBy, openChain } from './openChain.ts';

/** Options of {@link alter}. */
export interface AlterOptions {
  /** The collection: one storage, or one per locality (`default` holds the metadata). */
  collection: Storage | Destinations | Record<string, Storage>;
  /** The chain, by its full backup or any of its layers (default: LATEST). */
  backup?: string;
  /** Any current key of the chain. */
  keys: KeyWrapper[];
  /** Keys to add (a key already present is left as it is). */
  add?: KeyWrapper[];
  /** Keys to remove, named by a wrapper of the same key (a passphrase: the same passphrase). */
  remove?: KeyWrapper[];
  /** Entries to remove by entry id (see {@link listKeys}): needs no access to their keys. */
  removeEntries?: string[];
  /** Label of the entries added. */
  label?: string;
  /** Clock (tests). */
  now?: () => Date;
}

/** What {@link alter} did. */
export interface AlterResult {
  full: string;
  /** The ENCRYPTION_INFO generation now current (unchanged when nothing changed). */
  generation: number;
  /** False when every key to add was already there and nothing was removed: nothing written. */
  changed: boolean;
  added: KeySummary[];
  removed: KeySummary[];
  /** Redacted URIs of keys to add that the chain already had. */
  alreadyPresent: string[];
  /** The entries that now open the chain. */
  keys: KeySummary[];
}

/**
 * ALTER BACKUP … ADD NEW_KMS / DROP KMS: adds keys (KMS or passphrase) to, or removes keys
 * from, the chain of a backup (the full backup and all its incrementals share one data key),
 * using any current key. No data is rewritten: a new ENCRYPTION_INFO generation is written
 * create-if-absent.
 *
 * Keys are compared by their canonical identity ({@link KeyWrapper.identify}: an AWS alias is
 * resolved to its key ARN first), never by region or provider. Adding a key the chain already
 * has changes nothing, and when nothing changes no generation is written. A passphrase is
 * present when it opens a passphrase entry. Removing takes every entry of the named key; an
 * entry can also be removed by its entry id, without its key (a lost key file, a forgotten
 * passphrase). Removing the last way in is refused (`ERR_BACKUP_LAST_KEY`); naming a key or
 * entry the chain does not have is `ERR_BACKUP_NOT_FOUND`. When keys are removed, older
 * generations (which still hold the removed entries) are deleted once the new one is durable.
 *
 * Removing a key is not revocation: the data key stays the same, so whoever saved a removed
 * entry and still holds its key can open the chain, including layers written later. See
 * docs/KMS.md for how to revoke a key for real.
 *
 * @example
 * ```ts
 * import { alter } from '@sealstream/backup';
 * await alter({ collection: storage, keys: [oldKey], add: [newKey], label: 'recovery key' });
 * ```
 */
export async function alter(options: AlterOptions): Promise<AlterResult> {
  const add = options.add ?? [];
  const remove = options.remove ?? [];
  const removeEntries = [...new Set(options.removeEntries ?? [])];
  if (add.length === 0 && remove.length === 0 && removeEntries.length === 0) {
    throw new BackupError('ERR_BACKUP_BAD_ARGUMENT', 'alter needs a key to add or to remove');
  }
  const now = (options.now ?? (() => new Date()))().toISOString();
  const collection = new Collection(options.collection);
  const { full } = await collection.resolve(options.backup);
  await identifyAll([...add, ...remove]);
  const chain = await openChain(collection, full, options.keys);
  const file = chain.file;

  let entries = [...chain.info.keys];
  const removed: KeyEntry[] = [];
  const drop = (gone: readonly KeyEntry[]): void => {
    removed.push(...gone);
    entries = entries.filter((e) => !gone.includes(e));
  };
  for (const id of removeEntries) {
    const entry = entries.find((e) => e.entryId === id);
    if (entry === undefined)
      throw new BackupError('ERR_BACKUP_NOT_FOUND', `no key entry ${id} in ${full}`, { file });
    drop([entry]);
  }
  for (const w of remove) {
    const gone =
      w.scheme === 'passphrase'
        ? await entriesOpenedBy(chain, w, entries)
        : entries.filter((e) => w.matches(e));
    if (gone.length === 0)
      throw new BackupError('ERR_BACKUP_NOT_FOUND', `${w.redactedUri} is not a key of ${full}`, {
        file,
      });
    drop(gone);
  }

  const alreadyPresent: string[] = [];
  const fresh: KeyWrapper[] = [];
  for (const w of distinctKeys(add)) {
    const present =
      w.scheme === 'passphrase'
        ? (await entriesOpenedBy(chain, w, entries)).length > 0
        : entries.some((e) => w.matches(e));
    if (present) alreadyPresent.push(w.redactedUri);
    else fresh.push(w);
  }
  // A passphrase is tried against at most MAX_ENTRIES_PER_KEY entries: a fifth would never open.
  const passphrases = entries.filter((e) => e.scheme === 'passphrase').length;
  const newPassphrases = fresh.filter((w) => w.scheme === 'passphrase').length;
  if (newPassphrases > 0 && passphrases + newPassphrases > MAX_ENTRIES_PER_KEY) {
    throw new BackupError(
      'ERR_BACKUP_BAD_ARGUMENT',
      `a chain holds at most ${MAX_ENTRIES_PER_KEY} passphrase entries (each try of a passphrase costs a KDF run; unwrapping tries no more); remove one first (alter --remove-key ID)`,
      { file },
    );
  }
  const current = chain.info.generation;
  if (removed.length === 0 && fresh.length === 0) {
    return {
      full,
      generation: current,
      changed: false,
      added: [],
      removed: [],
      alreadyPresent,
      keys: entries.map(summariseKey),
    };
  }
  const wrapped =
    fresh.length === 0
      ? []
      : distinctKeys(
          await wrapDataKey(chain.dek, fresh, { context: wrapContext(chain.info.chainId) }),
        );
  const added = newKeyEntries(
    wrapped,
    chain.info.keys.map((e) => e.entryId),
    now,
    options.label,
  );
  entries.push(...added);
  if (entries.length === 0) {
    throw new BackupError(
      'ERR_BACKUP_LAST_KEY',
      `refusing to remove the last key of ${full}: the backup would be lost`,
      { file },
    );
  }
  const generation = current + 1;
  await collection.writeEncryptionInfo(
    full,
    { ...chain.info, generation, created: now, keys: entries },
    chain.keys.auth,
  );
  if (removed.length > 0) {
    for await (const o of collection.main.list(`${full}/ENCRYPTION_INFO`)) {
      const g = encryptionInfoGeneration(o.key.slice(full.length + 1));
      if (g !== undefined && g < generation) await collection.main.delete(o.key);
    }
  }
  return {
    full,
    generation,
    changed: true,
    added: added.map(summariseKey),
    removed: removed.map(summariseKey),
    alreadyPresent,
    keys: entries.map(summariseKey),
  };
}
