import type { KeyEntry } from '@sealstream/manifest';
import type { Storage } from '@sealstream/storage';
import { Collection, type Destinations } from './Collection.ts';

/** One way in to a chain's data key, as listed: everything but the wrapped key itself. */
export interface KeySummary {
  /** The entry's id: what `alter` takes to remove it. */
  entryId: string;
  /** The provider: `aws`, `gs`, `azure-kms`, `local-kms`, `passphrase`, … */
  scheme: string;
  /** The master key's identity (key ARN, CryptoKey name, Key Vault kid, local key fingerprint; `passphrase`). */
  key: string;
  label?: string;
  /** ISO-8601 time the entry was added. */
  added: string;
  /** The KDF of a passphrase entry (`argon2id`, `pbkdf2-sha256`). */
  kdf?: string;
}

/** What {@link listKeys} found. */
export interface ListKeysResult {
  /** The chain's full backup. */
  full: string;
  chainId: string;
  /** The ENCRYPTION_INFO generation listed. */
  generation: number;
  keys: KeySummary[];
}

/** The listing form of an ENCRYPTION_INFO entry. */
export function summariseKey(entry: KeyEntry): KeySummary {
  const kdf = entry.scheme === 'passphrase' ? entry.params?.algorithm : undefined;
  return {
    entryId: entry.entryId,
    scheme: entry.scheme,
    key: entry.id,
    ...(entry.label === undefined ? {} : { label: entry.label }),
    added: entry.added,
    ...(typeof kdf === 'string' ? { kdf } : {}),
  };
}

/** Options of {@link listKeys}. */
export interface ListKeysOptions {
  /** The collection: one storage, or one per locality (`default` holds the metadata). */
  collection: Storage | Destinations | Record<string, Storage>;
  /** The chain, by its full backup or any of its layers (default: LATEST). */
  backup?: string;
}

/**
 * Lists the ways in to a chain's data key — one entry per KMS key or passphrase, from the
 * current ENCRYPTION_INFO generation — without any key (the entries are stored in the clear, as
 * restic's key files are). `backup` names the chain by its full backup or any layer (default:
 * LATEST). What is listed is what storage holds: it is not authenticated, so it says which
 * entries exist, not who wrote them.
 *
 * @example
 * ```ts
 * import { listKeys } from '@sealstream/backup';
 * const { keys } = await listKeys({ collection: storage });
 * for (const k of keys) console.log(k.entryId, k.scheme, k.key, k.label ?? '');
 * ```
 */
export async function listKeys(options: ListKeysOptions): Promise<ListKeysResult> {
  const collection = new Collection(options.collection);
  const { full } = await collection.resolve(options.backup);
  const { info } = await collection.encryptionInfo(full);
  return {
    full,
    chainId: info.chainId,
    generation: info.generation,
    keys: info.keys.map(summariseKey),
  };
}
