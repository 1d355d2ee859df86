import { rekey } from '@sealstream/backup';
import { createKeyWrapper, type KeyWrapper, passphraseWrapper } from '@sealstream/kms';
import { backupName, required } from '../args.ts';
import { defineCommand } from '../defineCommand.ts';
import { closeDestinations, openDestinations } from '../destinations.ts';
import { kdfOf, resolveKeys } from '../keys.ts';
import { human, printable, printJson } from '../output.ts';
import { readPassphrase } from '../passphrase.ts';
import { UsageError } from '../UsageError.ts';

const usage = `sealstream rekey [LATEST|SUBDIR] --in URI... (--old-kms URI | --passphrase-file F) (--new-kms URI... | --new-passphrase-file F) [--delete-old] [--json]

Re-encrypts a backup chain under a new data key: every layer is copied, oldest first, into a new
chain wrapped only by the new keys. This is how a leaked key or passphrase is revoked (alter
--remove-kms is not revocation: the data key stays the same). Resumable: run it again after an
interruption and it continues. The new chain is read back and compared layer by layer before
LATEST moves to it; --delete-old then deletes the old chain.

  --old-kms URI              a current key of the chain (repeatable; --kms is the same)
  --passphrase-file F        a current passphrase of the chain
  --new-kms URI              a key of the new chain (repeatable)
  --new-passphrase-file F    a passphrase of the new chain (--kdf argon2id|pbkdf2)
  --delete-old               delete the old chain once the new one is verified`;

export const rekeyCommand = defineCommand({
  name: 'rekey',
  summary: 're-encrypt a backup chain under a new data key and new keys (revocation)',
  usage,
  options: {
    in: { type: 'string', multiple: true },
    'old-kms': { type: 'string', multiple: true },
    kms: { type: 'string', multiple: true },
    'passphrase-file': { type: 'string' },
    'new-kms': { type: 'string', multiple: true },
    'new-passphrase-file': { type: 'string' },
    kdf: { type: 'string' },
    'delete-old': { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run({ values, positionals }) {
    const name = backupName(positionals);
    const destinations = await openDestinations(required(values.in, '--in'));
    try {
      const keys = await resolveKeys({
        kms: [...(values['old-kms'] ?? []), ...(values.kms ?? [])],
        passphraseFile: values['passphrase-file'],
      });
      const newKeys: KeyWrapper[] = [];
      for (const uri of values['new-kms'] ?? []) newKeys.push(await createKeyWrapper(uri));
      const newPass = values['new-passphrase-file'];
      if (newPass !== undefined) {
        const pass = await readPassphrase({ file: newPass, env: false });
        newKeys.push(passphraseWrapper(pass as string, { kdf: kdfOf(values.kdf) }));
      }
      if (newKeys.length === 0)
        throw new UsageError(
          'rekey needs the new chain keys: --new-kms URI or --new-passphrase-file F',
        );
      const result = await rekey({
        collection: destinations,
        keys,
        newKeys,
        deleteOld: values['delete-old'] === true,
        ...(name === undefined ? {} : { backup: name }),
      });
      if (values.json) printJson({ ok: true, command: 'rekey', ...result });
      else {
        console.log(
          `re-encrypted ${printable(result.from)} as ${printable(result.to)}: ${result.layers.length} layer(s)` +
            `${result.resumed > 0 ? ` (${result.resumed} copied by an earlier run)` : ''}, ` +
            `${result.verified.blobs} blobs (${human(result.verified.bytes)}) verified` +
            `${result.latest ? '; LATEST now points to it' : ''}` +
            `${result.deletedOld ? `; ${printable(result.from)} deleted` : `; delete ${printable(result.from)} when ready (--delete-old)`}`,
        );
        for (const l of result.layers) console.log(`  ${printable(l.from)} → ${printable(l.to)}`);
      }
      return 0;
    } finally {
      await closeDestinations(destinations);
    }
  },
});
