import {
  type KeyWrapper,
  MAX_ENTRIES_PER_KEY,
  NoUsableKeyError,
  unwrapDataKey,
} from '@sealstream/kms';
import {
  type ChainKeys,
  checkEncryptionInfoMac,
  dekCheckValue,
  deriveChainKeys,
  type EncryptionInfo,
  type KeyEntry,
  wrapContext,
} from '@sealstream/manifest';
import { equalBytes, SealstreamError } from '@sealstream/streams';
import { BackupError } from './BackupError.ts';
import type { Collection } from './Collection.ts';
import { identifyAll } from './keyEntries.ts';

/** A chain's data key, opened with one of the caller's keys. */
export interface OpenChain {
  full: string;
  info: EncryptionInfo;
  /** The ENCRYPTION_INFO file it came from. */
  file: string;
  dek: Uint8Array;
  /** The keys derived from the data key (docs/COLLECTION-FORMAT-V2.md §1). */
  keys: ChainKeys;
  /** The redacted URI of the key that opened it. */
  openedWith: string;
  /** The key that opened it. */
  wrapper: KeyWrapper;
  /** Keys that were tried and failed, with why (redacted). */
  failures: { uri: string; code: string; message: string }[];
}

/**
 * Opens the data key of the chain starting at `full` with any one of `wrappers`, trying them in
 * order. A key that unwraps to a value that does not match the DEK check value counts as a
 * wrong key. When none works: `ERR_BACKUP_NO_KEY`, naming each key tried and why.
 *
 * The opened key must be the chain's (its derived chain id is the chain's: a key someone else
 * wrapped names another chain, `ERR_BACKUP_NO_KEY`), and the ENCRYPTION_INFO generation it came
 * from must authenticate under it (`ERR_MANIFEST_NOT_AUTHENTIC`): only a key holder can change
 * the chain's keys.
 */
export async function openChain(
  collection: Collection,
  full: string,
  wrappers: readonly KeyWrapper[],
  options: { timeoutMs?: number } = {},
): Promise<OpenChain> {
  if (wrappers.length === 0) {
    throw new BackupError('ERR_BACKUP_NO_KEY', 'no key given: pass a KMS URI or a passphrase');
  }
  const { info, file } = await collection.encryptionInfo(full);
  let r: Awaited<ReturnType<typeof unwrapDataKey>>;
  try {
    r = await unwrapDataKey(info.keys, [...wrappers], {
      context: wrapContext(info.chainId),
      check: async (dek: Uint8Array) => equalBytes(await dekCheckValue(dek), info.dekCheck),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    });
  } catch (e) {
    if (e instanceof SealstreamError) {
      throw new BackupError('ERR_BACKUP_NO_KEY', `cannot open the data key: ${e.message}`, {
        file,
        cause: e,
      });
    }
    throw e;
  }
  const keys = await deriveChainKeys(r.dek);
  try {
    if (keys.chainId !== info.chainId) {
      throw new BackupError(
        'ERR_BACKUP_NO_KEY',
        `the data key opened with ${r.wrapper.redactedUri} belongs to another chain (its id is not ${info.chainId})`,
        { file },
      );
    }
    await checkEncryptionInfoMac(info, keys.auth, file);
  } catch (e) {
    r.dek.fill(0);
    throw e;
  }
  return {
    full,
    info,
    file,
    dek: r.dek,
    keys,
    openedWith: r.wrapper.redactedUri,
    wrapper: r.wrapper,
    failures: r.failures.map((f: { uri: string; error: SealstreamError }) => ({
      uri: f.uri,
      code: f.error.code,
      message: f.error.message,
    })),
  };
}

/**
 * The entries of `entries` that `wrapper` opens to the chain's data key, each tried on its own
 * (a passphrase matches every passphrase entry by scheme; only unwrapping tells which are its
 * own). A wrong key is no error: it opens none. Other failures (unreachable KMS, KDF bounds)
 * are thrown. Like `unwrapDataKey`, at most `MAX_ENTRIES_PER_KEY` (4) matching entries are
 * tried, so decoy passphrase entries cannot multiply the KDF work.
 */
export async function entriesOpenedBy(
  chain: OpenChain,
  wrapper: KeyWrapper,
  entries: readonly KeyEntry[] = chain.info.keys,
): Promise<KeyEntry[]> {
  const out: KeyEntry[] = [];
  const candidates = entries.filter((entry) => wrapper.matches(entry));
  for (const entry of candidates.slice(0, MAX_ENTRIES_PER_KEY)) {
    try {
      const r = await unwrapDataKey([entry], [wrapper], {
        context: wrapContext(chain.info.chainId),
        check: async (dek) => equalBytes(dek, chain.dek),
      });
      r.dek.fill(0);
      out.push(entry);
    } catch (e) {
      const wrong =
        e instanceof NoUsableKeyError &&
        e.failures.every((f) => f.error.code === 'ERR_KMS_WRONG_KEY');
      if (!wrong) throw e;
    }
  }
  return out;
}

/**
 * Opens a chain for a new incremental layer, enforcing the seed's rule: every key given must be
 * a key of the full backup — compared by identity (each key is identified first), a passphrase
 * by opening one of the chain's passphrase entries — else `ERR_BACKUP_NEW_KEY`.
 */
export async function openChainForIncremental(
  collection: Collection,
  full: string,
  keys: readonly KeyWrapper[],
): Promise<OpenChain> {
  const { info, file } = await collection.encryptionInfo(full);
  const newKey = (w: KeyWrapper): BackupError =>
    new BackupError(
      'ERR_BACKUP_NEW_KEY',
      `${w.redactedUri} is not a key of the full backup ${full}: an incremental backup must use the full backup's keys (add it first with alter)`,
      { file },
    );
  await identifyAll(keys);
  for (const w of keys) if (!info.keys.some((entry) => w.matches(entry))) throw newKey(w);
  const chain = await openChain(collection, full, keys);
  // A passphrase matches every passphrase entry by scheme: only opening tells it is one of them.
  for (const w of keys) {
    if (w.scheme === 'passphrase' && w !== chain.wrapper) {
      if ((await entriesOpenedBy(chain, w)).length === 0) throw newKey(w);
    }
  }
  return chain;
}
