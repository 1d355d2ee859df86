import { type ChainKeys, deriveChainKeys } from '@sealstream/manifest';
import { BackupError } from '../BackupError.ts';
import type { OpenChain } from '../openChain.ts';

/**
 * The keys of an opened chain, refusing a data key that is not the chain's: the chain id is
 * derived from the root key, so a key someone else wrapped names another chain.
 */
export async function chainKeysOf(chain: OpenChain): Promise<ChainKeys> {
  const keys = await deriveChainKeys(chain.dek);
  if (keys.chainId !== chain.info.chainId)
    throw new BackupError(
      'ERR_BACKUP_NO_KEY',
      `the data key opened with ${chain.openedWith} belongs to another chain (its id is not ${chain.info.chainId})`,
      { file: chain.file },
    );
  return keys;
}
