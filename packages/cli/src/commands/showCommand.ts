import { show } from '@sealstream/backup';
import { backupName, parse, required } from '../args.ts';
import { closeDestinations, openDestinations } from '../destinations.ts';
import { resolveKeys } from '../keys.ts';
import { printable, printJson, table } from '../output.ts';

export const showUsage = `sealstream show [LATEST|SUBDIR] --in URI... (--passphrase-file F | --kms URI...) [--as-of LAYER] [--json]

SHOW BACKUP: what a backup chain holds, layer by layer — object name and type, backup type,
start and end time, size in bytes, entries, locality. Reads only the metadata.`;

export async function showCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    in: { type: 'string', multiple: true },
    'as-of': { type: 'string' },
    kms: { type: 'string', multiple: true },
    'passphrase-file': { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    console.log(showUsage);
    return 0;
  }
  const name = backupName(positionals);
  const destinations = await openDestinations(required(values.in, '--in'));
  try {
    const keys = await resolveKeys({
      kms: values.kms ?? [],
      passphraseFile: values['passphrase-file'],
    });
    const result = await show({
      in: destinations,
      keys,
      ...(name === undefined ? {} : { backup: name }),
      ...(values['as-of'] === undefined ? {} : { asOf: values['as-of'] }),
    });
    if (values.json) {
      printJson({ ok: true, command: 'show', ...result });
      return 0;
    }
    console.log(
      table(
        [
          'object',
          'type',
          'backup_type',
          'start_time',
          'end_time',
          'size_bytes',
          'entries',
          'locality',
        ],
        // Names and every other stored string are escaped: a name may hold ESC or a newline.
        result.rows.map((r) => [
          printable(r.object),
          printable(r.objectType),
          printable(r.backupType),
          printable(r.startTime),
          printable(r.endTime),
          r.size,
          r.entries,
          printable(r.locality),
        ]),
      ),
    );
    for (const l of result.layers) {
      if (l.deleted.length > 0)
        console.log(`${printable(l.id)}: deleted ${l.deleted.map(printable).join(', ')}`);
    }
    return 0;
  } finally {
    await closeDestinations(destinations);
  }
}
