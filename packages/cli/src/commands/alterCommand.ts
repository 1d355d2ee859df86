import { alter } from '@sealstream/backup';
import { createKeyWrapper, type KeyWrapper, passphraseWrapper } from '@sealstream/kms';
import { backupName, parse, required } from '../args.ts';
import { closeDestinations, openDestinations } from '../destinations.ts';
import { kdfOf, resolveKeys } from '../keys.ts';
import { printJson } from '../output.ts';
import { readPassphrase } from '../passphrase.ts';
import { UsageError } from '../UsageError.ts';

export const alterUsage = `sealstream alter [LATEST|SUBDIR] --in URI (--old-kms URI | --passphrase-file F) [--add-kms URI...] [--add-passphrase-file F] [--remove-kms URI...] [--json]

ALTER BACKUP: adds keys to (or removes keys from) every backup of a chain, using a current key.
No data is rewritten. Removing the last key is refused.`;

export async function alterCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    in: { type: 'string', multiple: true },
    'old-kms': { type: 'string', multiple: true },
    'passphrase-file': { type: 'string' },
    'add-kms': { type: 'string', multiple: true },
    'add-passphrase-file': { type: 'string' },
    'remove-kms': { type: 'string', multiple: true },
    kdf: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    console.log(alterUsage);
    return 0;
  }
  const name = backupName(positionals);
  const destinations = await openDestinations(required(values.in, '--in'));
  try {
    const keys = await resolveKeys({
      kms: values['old-kms'] ?? [],
      passphraseFile: values['passphrase-file'],
    });
    const add: KeyWrapper[] = [];
    for (const uri of values['add-kms'] ?? []) add.push(await createKeyWrapper(uri));
    if (values['add-passphrase-file'] !== undefined) {
      const pass = await readPassphrase({ file: values['add-passphrase-file'], env: false });
      if (pass !== undefined) add.push(passphraseWrapper(pass, { kdf: kdfOf(values.kdf) }));
    }
    const remove: KeyWrapper[] = [];
    for (const uri of values['remove-kms'] ?? []) remove.push(await createKeyWrapper(uri));
    if (add.length === 0 && remove.length === 0)
      throw new UsageError('alter needs --add-kms, --add-passphrase-file or --remove-kms');
    const result = await alter({
      in: destinations,
      keys,
      add,
      remove,
      ...(name === undefined ? {} : { backup: name }),
    });
    if (values.json) printJson({ ok: true, command: 'alter', ...result });
    else {
      console.log(
        `altered ${result.full} (ENCRYPTION_INFO generation ${result.generation}): ` +
          `${result.added.length} added, ${result.removed.length} removed, ${result.keys.length} key(s) now open it`,
      );
    }
    return 0;
  } finally {
    await closeDestinations(destinations);
  }
}
