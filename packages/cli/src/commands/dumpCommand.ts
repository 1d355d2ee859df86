import { restore } from '@sealstream/backup';
import { required } from '../args.ts';
import { defineCommand } from '../defineCommand.ts';
import { closeDestinations, openDestinations } from '../destinations.ts';
import { resolveKeys } from '../keys.ts';
import { printable } from '../output.ts';
import { progressBar } from '../progressBar.ts';
import { stdoutTarget } from '../stdoutTarget.ts';
import { UsageError } from '../UsageError.ts';

const usage = `sealstream dump [LATEST|SUBDIR] NAME --from URI... (--passphrase-file F | --kms URI...) [--as-of LAYER]

Writes the bytes of one object of a backup to stdout — a file, or a stream backed up from stdin
(sealstream backup - --name NAME) — so it can be piped on:

  sealstream dump LATEST mydb.sql --from ./collection --passphrase-file pass.txt | psql mydb

NAME must be a file or stream (a directory or symlink is a usage error). Nothing else is written
on stdout (no --json); the progress bar, if any, is on stderr. Every byte is authenticated before
it is written; if the command fails part way, what was written is incomplete (exit status 1).

  --from URI          the collection (every locality's URI for locality-aware backups)
  --as-of LAYER       the object as of this layer (see sealstream list)
  --kms URI / --passphrase-file F   a key of the backup
  --json-progress     write progress as JSON lines on stderr (about one a second, and a last one)`;

export const dumpCommand = defineCommand({
  name: 'dump',
  summary: 'write one object of a backup (a file, or a stream from stdin) to stdout',
  usage,
  options: {
    from: { type: 'string', multiple: true },
    'as-of': { type: 'string' },
    kms: { type: 'string', multiple: true },
    'passphrase-file': { type: 'string' },
    json: { type: 'boolean' },
    'json-progress': { type: 'boolean' },
  },
  async run({ values, positionals }) {
    if (values.json) throw new UsageError('dump writes the object on stdout: --json is not taken');
    if (positionals.length === 0 || positionals.length > 2)
      throw new UsageError(`expected [LATEST|SUBDIR] NAME, got ${positionals.length} arguments`);
    const [name, object] = positionals.length === 2 ? positionals : [undefined, positionals[0]];
    await dumpObject({
      from: required(values.from, '--from'),
      kms: values.kms ?? [],
      passphraseFile: values['passphrase-file'],
      backup: name,
      asOf: values['as-of'],
      objects: [object as string],
      jsonProgress: values['json-progress'] === true,
    });
    return 0;
  },
});

/**
 * Restores one object onto stdout: `dump`, and `restore --to -` (with `objects` undefined, the
 * backup must hold a single object). Key failures are reported on stderr; nothing but the
 * object's bytes reaches stdout.
 */
export async function dumpObject(options: {
  from: string[];
  kms: string[];
  passphraseFile: string | undefined;
  backup: string | undefined;
  asOf: string | undefined;
  objects: string[] | undefined;
  /** Progress as JSON lines on stderr (`--json-progress`). */
  jsonProgress?: boolean;
}): Promise<void> {
  const destinations = await openDestinations(options.from);
  try {
    const keys = await resolveKeys({ kms: options.kms, passphraseFile: options.passphraseFile });
    const bar = progressBar({ jsonLines: options.jsonProgress === true });
    const result = await restore({
      collection: destinations,
      keys,
      target: stdoutTarget(),
      ...(options.backup === undefined ? {} : { backup: options.backup }),
      ...(options.asOf === undefined ? {} : { asOf: options.asOf }),
      ...(options.objects === undefined ? {} : { objects: options.objects }),
      ...(bar.onProgress ? { onProgress: bar.onProgress } : {}),
    }).finally(bar.end);
    for (const f of result.keyFailures)
      process.stderr.write(
        `sealstream: key ${printable(f.uri)} failed (${f.code}): ${printable(f.message)}\n`,
      );
  } finally {
    await closeDestinations(destinations);
  }
}
