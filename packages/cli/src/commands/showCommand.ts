import { show } from '@sealstream/backup';
import { CHAIN_OPTIONS, withChain } from '../chainCommand.ts';
import { defineCommand } from '../defineCommand.ts';
import { printable, printJson, table } from '../output.ts';

const usage = `sealstream show [LATEST|SUBDIR] --in URI... (--passphrase-file F | --kms URI...) [--as-of LAYER] [--json]

SHOW BACKUP: what a backup chain holds, layer by layer — object name and type, backup type,
start and end time, size in bytes, entries, locality. Reads only the metadata.`;

export const showCommand = defineCommand({
  name: 'show',
  summary: 'list what a backup holds (SHOW BACKUP)',
  usage,
  options: CHAIN_OPTIONS,
  async run({ values, positionals }) {
    return withChain(values, positionals, async (source) => {
      const result = await show(source);
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
    });
  },
});
