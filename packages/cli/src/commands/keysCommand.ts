import { listKeys } from '@sealstream/backup';
import { required } from '../args.ts';
import { defineCommand } from '../defineCommand.ts';
import { closeDestinations, openDestinations } from '../destinations.ts';
import { printable, printJson, table } from '../output.ts';
import { UsageError } from '../UsageError.ts';

const usage = `sealstream keys [list] [LATEST|SUBDIR] --in URI... [--json]

Lists the ways in to a backup chain's data key: one entry per KMS key or passphrase, with the
entry id that alter --remove-key takes, the key's identity (key ARN, CryptoKey name, Key Vault
key, local key fingerprint), its label and when it was added. Needs no key: it reads only
ENCRYPTION_INFO, which is stored in the clear.`;

export const keysCommand = defineCommand({
  name: 'keys',
  summary: 'list the keys of a backup chain, with the entry ids alter takes (no key needed)',
  usage,
  options: {
    in: { type: 'string', multiple: true },
    json: { type: 'boolean' },
  },
  async run({ values, positionals }) {
    const names = positionals[0] === 'list' ? positionals.slice(1) : positionals;
    if (names.length > 1)
      throw new UsageError(`expected at most one backup name, got ${names.length}`);
    const destinations = await openDestinations(required(values.in, '--in'));
    try {
      const result = await listKeys({
        collection: destinations,
        ...(names[0] === undefined ? {} : { backup: names[0] }),
      });
      if (values.json) {
        printJson({ ok: true, command: 'keys', ...result });
        return 0;
      }
      console.log(
        `chain ${printable(result.full)} (ENCRYPTION_INFO generation ${result.generation})`,
      );
      console.log(
        table(
          ['entry', 'scheme', 'key', 'label', 'added'],
          result.keys.map((k) => [
            printable(k.entryId),
            printable(k.scheme),
            printable(k.kdf === undefined ? k.key : `${k.key} (${k.kdf})`),
            printable(k.label ?? ''),
            printable(k.added),
          ]),
        ),
      );
      return 0;
    } finally {
      await closeDestinations(destinations);
    }
  },
});
