import { alter } from '@sealstream/backup';
import { createKeyWrapper, type KeyWrapper, passphraseWrapper } from '@sealstream/kms';
import { SealstreamError } from '@sealstream/streams';
import { backupName, required } from '../args.ts';
import { defineCommand } from '../defineCommand.ts';
import { closeDestinations, openDestinations } from '../destinations.ts';
import { kdfOf, resolveKeys } from '../keys.ts';
import { printable, printJson } from '../output.ts';
import { readPassphrase } from '../passphrase.ts';
import { UsageError } from '../UsageError.ts';

const usage = `sealstream alter [LATEST|SUBDIR] --in URI (--old-kms URI | --passphrase-file F) [changes] [--json]

ALTER BACKUP: adds keys to (or removes keys from) every backup of a chain, using a current key.
No data is rewritten. Keys are compared by identity (an AWS alias is resolved to its key ARN):
adding a key the chain already has changes nothing. Removing the last key is refused.

  --old-kms URI                a current key of the chain (repeatable; --kms is the same)
  --passphrase-file F          a current passphrase of the chain
  --add-kms URI                add a KMS key (repeatable)
  --add-passphrase-file F      add a passphrase (--kdf argon2id|pbkdf2 picks its KDF)
  --label TEXT                 label the entries added (shown by sealstream keys)
  --remove-kms URI             remove a KMS key (repeatable)
  --remove-passphrase-file F   remove the passphrase entries this passphrase opens
  --remove-key ID              remove an entry by its id from sealstream keys (repeatable):
                               needs no access to that key (a lost key file, a forgotten passphrase)

Removing a key does not change the data key: it is not revocation (see docs/KMS.md).`;

export const alterCommand = defineCommand({
  name: 'alter',
  summary: 'add or remove keys of a backup chain',
  usage,
  options: {
    in: { type: 'string', multiple: true },
    'old-kms': { type: 'string', multiple: true },
    kms: { type: 'string', multiple: true },
    'passphrase-file': { type: 'string' },
    'add-kms': { type: 'string', multiple: true },
    'add-passphrase-file': { type: 'string' },
    'remove-kms': { type: 'string', multiple: true },
    'remove-passphrase-file': { type: 'string' },
    'remove-key': { type: 'string', multiple: true },
    label: { type: 'string' },
    kdf: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values, positionals }) {
    const name = backupName(positionals);
    const removeEntries = values['remove-key'] ?? [];
    for (const id of removeEntries) {
      if (!/^[0-9a-f]{8}$/.test(id))
        throw new UsageError(
          `--remove-key takes an entry id of 8 hex digits as sealstream keys prints it, received ${JSON.stringify(id)}`,
        );
    }
    const destinations = await openDestinations(required(values.in, '--in'));
    try {
      const keys = await resolveKeys({
        kms: [...(values['old-kms'] ?? []), ...(values.kms ?? [])],
        passphraseFile: values['passphrase-file'],
      });
      const add: KeyWrapper[] = [];
      for (const uri of values['add-kms'] ?? []) add.push(await createKeyWrapper(uri));
      const addPass = values['add-passphrase-file'];
      if (addPass !== undefined) add.push(await passphraseFrom(addPass, values.kdf));
      const remove: KeyWrapper[] = [];
      for (const uri of values['remove-kms'] ?? []) remove.push(await removable(uri));
      const removePass = values['remove-passphrase-file'];
      if (removePass !== undefined) remove.push(await passphraseFrom(removePass, undefined));
      if (add.length === 0 && remove.length === 0 && removeEntries.length === 0)
        throw new UsageError(
          'alter needs --add-kms, --add-passphrase-file, --remove-kms, --remove-passphrase-file or --remove-key',
        );
      const result = await alter({
        collection: destinations,
        keys,
        add,
        remove,
        removeEntries,
        ...(values.label === undefined ? {} : { label: values.label }),
        ...(name === undefined ? {} : { backup: name }),
      });
      if (values.json) printJson({ ok: true, command: 'alter', ...result });
      else if (!result.changed) {
        console.log(
          `nothing changed in ${printable(result.full)}: ${result.alreadyPresent.length} key(s) to add already open it (ENCRYPTION_INFO generation ${result.generation})`,
        );
      } else {
        const ids = (list: { entryId: string }[]): string =>
          list.length === 0 ? '' : ` (${list.map((k) => printable(k.entryId)).join(', ')})`;
        console.log(
          `altered ${printable(result.full)} (ENCRYPTION_INFO generation ${result.generation}): ` +
            `${result.added.length} added${ids(result.added)}, ${result.removed.length} removed${ids(result.removed)}, ` +
            `${result.keys.length} key(s) now open it`,
        );
        if (result.alreadyPresent.length > 0)
          console.log(
            `already keys of the chain: ${result.alreadyPresent.map(printable).join(', ')}`,
          );
      }
      return 0;
    } finally {
      await closeDestinations(destinations);
    }
  },
});

async function passphraseFrom(file: string, kdf: string | undefined): Promise<KeyWrapper> {
  const pass = await readPassphrase({ file, env: false });
  return passphraseWrapper(pass as string, { kdf: kdfOf(kdf) });
}

/** A wrapper for `--remove-kms URI`; when it cannot be made, the error says how to remove by id. */
async function removable(uri: string): Promise<KeyWrapper> {
  if (/^passphrase:/i.test(uri))
    throw new UsageError(
      'a passphrase is not a KMS URI: remove it with --remove-passphrase-file F, or by its entry id (--remove-key ID, ids from sealstream keys)',
    );
  try {
    return await createKeyWrapper(uri);
  } catch (e) {
    if (!(e instanceof SealstreamError)) throw e;
    throw new SealstreamError(
      e.code,
      `${e.message} (to remove a key that can no longer be reached, use --remove-key ID with the entry id that sealstream keys prints)`,
      { cause: e },
    );
  }
}
