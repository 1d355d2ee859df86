import { localityOf } from '@sealstream/storage';
import { required } from '../args.ts';
import { defineCommand } from '../defineCommand.ts';
import { closeDestinations, openDestinations } from '../destinations.ts';
import { listCollection } from '../listCollection.ts';
import { printJson, table } from '../output.ts';
import { UsageError } from '../UsageError.ts';

const usage = `sealstream list --in URI [--json]

Lists the committed backups of a collection (full backups and their incremental layers). Needs no key.
A collection that is not there (a missing directory, bucket or container) is ERR_BACKUP_NOT_FOUND;
an empty one prints "no backups".`;

export const listCommand = defineCommand({
  name: 'list',
  summary: 'list the backups of a collection (no key needed)',
  usage,
  options: {
    in: { type: 'string', multiple: true },
    json: { type: 'boolean' },
  },
  async run({ values, positionals }) {
    if (positionals.length > 0) throw new UsageError('list takes no positional argument');
    const uris = required(values.in, '--in');
    const destinations = await openDestinations(uris);
    try {
      const main = uris.find((u) => localityOf(u) === 'default') as string;
      const backups = await listCollection(destinations, main);
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
  },
});
