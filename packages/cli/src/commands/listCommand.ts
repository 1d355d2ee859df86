import { list } from '@sealstream/backup';
import { parse, required } from '../args.ts';
import { closeDestinations, openDestinations } from '../destinations.ts';
import { printJson, table } from '../output.ts';
import { UsageError } from '../UsageError.ts';

export const listUsage = `sealstream list --in URI [--json]

Lists the committed backups of a collection (full backups and their incremental layers). Needs no key.`;

export async function listCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    in: { type: 'string', multiple: true },
    json: { type: 'boolean' },
  });
  if (values.help) {
    console.log(listUsage);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError('list takes no positional argument');
  const destinations = await openDestinations(required(values.in, '--in'));
  try {
    const backups = await list({ in: destinations });
    if (values.json) printJson({ ok: true, command: 'list', backups });
    else if (backups.length === 0) console.log('no backups');
    else
      console.log(
        table(
          ['id', 'type', 'time', 'latest'],
          backups.map((b) => [b.id, b.type, b.time, b.latest ? 'LATEST' : '']),
        ),
      );
    return 0;
  } finally {
    await closeDestinations(destinations);
  }
}
