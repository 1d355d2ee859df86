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
    await dumpObject(values, name, [object as string]);
    return 0;
  },
});

/** The options of `dump` that `restore --to -` shares, as the command line gave them. */
export interface DumpValues {
  from?: string[];
  kms?: string[];
  'passphrase-file'?: string;
  'as-of'?: string;
  'json-progress'?: boolean;
}

/**
 * Restores one object onto stdout: `dump`, and `restore --to -` (with `objects` undefined, the
 * backup must hold a single object), with `backup` the layer named (LATEST or a subdirectory).
 * Key failures are reported on stderr; nothing but the object's bytes reaches stdout.
 */
export async function dumpObject(
  values: DumpValues,
  backup: string | undefined,
  objects: string[] | undefined,
): Promise<void> {
  const destinations = await openDestinations(required(values.from, '--from'));
  try {
    const keys = await resolveKeys({
      kms: values.kms ?? [],
      passphraseFile: values['passphrase-file'],
    });
    const bar = progressBar({ jsonLines: values['json-progress'] === true });
    const result = await restore({
      collection: destinations,
      keys,
      target: stdoutTarget(),
      ...(backup === undefined ? {} : { backup }),
      ...(values['as-of'] === undefined ? {} : { asOf: values['as-of'] }),
      ...(objects === undefined ? {} : { objects }),
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
