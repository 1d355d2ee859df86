import { type KeyWrapper, KmsError, type WrappedKey, wrapDataKey } from '@sealstream/kms';
import {
  type ChainKeys,
  dekCheckValue,
  isValidKeyLabel,
  type KeyEntry,
  MAX_KEY_LABEL,
  wrapContext,
} from '@sealstream/manifest';
import { encodeHex, SealstreamError } from '@sealstream/streams';
import { BackupError } from './BackupError.ts';
import type { Collection } from './Collection.ts';

/**
 * Names freshly wrapped keys as ENCRYPTION_INFO entries: each gets a random entry id unique
 * among `taken` (and among each other), the time `added`, and `label` when given.
 */
export function newKeyEntries(
  wrapped: readonly WrappedKey[],
  taken: Iterable<string>,
  added: string,
  label?: string,
): KeyEntry[] {
  if (label !== undefined && !isValidKeyLabel(label)) {
    throw new BackupError(
      'ERR_BACKUP_BAD_ARGUMENT',
      `a key label must be 1 to ${MAX_KEY_LABEL} characters without control characters`,
    );
  }
  const used = new Set(taken);
  return wrapped.map((w) => {
    let entryId: string;
    do entryId = encodeHex(crypto.getRandomValues(new Uint8Array(4)));
    while (used.has(entryId));
    used.add(entryId);
    return { ...w, entryId, added, ...(label === undefined ? {} : { label }) };
  });
}

/**
 * Drops entries (or wrappers) that repeat an earlier one's key (same scheme and identity).
 * Passphrases carry no identity and are all kept.
 */
export function distinctKeys<T extends Pick<WrappedKey, 'scheme' | 'id'>>(
  entries: readonly T[],
): T[] {
  const seen = new Set<string>();
  return entries.filter((e) => {
    if (e.scheme === 'passphrase') return true;
    const key = `${e.scheme}\u0000${e.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Resolves every wrapper's canonical key identity ({@link KeyWrapper.identify}), so that
 * comparisons with stored entries are exact. A wrapper that cannot be identified fails the
 * call with its typed error (the comparison it was needed for cannot be made).
 */
export async function identifyAll(wrappers: readonly KeyWrapper[]): Promise<void> {
  await Promise.all(
    wrappers.map(async (w) => {
      try {
        await w.identify();
      } catch (e) {
        if (e instanceof SealstreamError) throw e;
        throw new KmsError('ERR_KMS_UNAVAILABLE', `${w.redactedUri}: ${String(e)}`, { cause: e });
      }
    }),
  );
}

/**
 * Starts a chain's key envelope: wraps `root` under every key (a key named twice once), bound to
 * the chain's context, and writes ENCRYPTION_INFO generation 1, authenticated under the chain's
 * auth key, create-if-absent (which claims the backup id).
 */
export async function writeFirstEnvelope(
  collection: Collection,
  full: string,
  chain: { root: Uint8Array; keys: ChainKeys },
  keys: readonly KeyWrapper[],
  created: Date,
): Promise<void> {
  const { root } = chain;
  const { chainId, auth } = chain.keys;
  const wrapped = distinctKeys(await wrapDataKey(root, keys, { context: wrapContext(chainId) }));
  await collection.writeEncryptionInfo(
    full,
    {
      chainId,
      generation: 1,
      created: created.toISOString(),
      dekCheck: await dekCheckValue(root),
      keys: newKeyEntries(wrapped, [], created.toISOString()),
    },
    auth,
  );
}
