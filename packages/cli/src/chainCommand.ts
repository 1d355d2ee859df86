import type { Destinations } from '@sealstream/backup';
import type { KeyWrapper } from '@sealstream/kms';
import { backupName, required, type Values } from './args.ts';
import { closeDestinations, openDestinations } from './destinations.ts';
import { resolveKeys } from './keys.ts';

/** The options of a command that reads one backup chain (show, verify). */
export const CHAIN_OPTIONS = {
  in: { type: 'string', multiple: true },
  'as-of': { type: 'string' },
  kms: { type: 'string', multiple: true },
  'passphrase-file': { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** What such a command hands to `show` or `verify`: the collection, keys, backup and layer. */
export interface ChainSource {
  collection: Destinations;
  keys: KeyWrapper[];
  backup?: string;
  asOf?: string;
}

/**
 * Opens the collection named by `--in`, resolves the keys and runs `read` with them and the
 * backup named by the positionals and `--as-of`; the storages are closed however it ends.
 */
export async function withChain<T>(
  values: Values<typeof CHAIN_OPTIONS>,
  positionals: string[],
  read: (source: ChainSource) => Promise<T>,
): Promise<T> {
  const name = backupName(positionals);
  const destinations = await openDestinations(required(values.in, '--in'));
  try {
    const keys = await resolveKeys({
      kms: values.kms ?? [],
      passphraseFile: values['passphrase-file'],
    });
    return await read({
      collection: destinations,
      keys,
      ...(name === undefined ? {} : { backup: name }),
      ...(values['as-of'] === undefined ? {} : { asOf: values['as-of'] }),
    });
  } finally {
    await closeDestinations(destinations);
  }
}
