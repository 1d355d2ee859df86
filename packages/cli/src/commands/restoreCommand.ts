import { restore } from '@sealstream/backup';
import { directoryTarget, restoresOwners } from '@sealstream/fs';
import { SealstreamError } from '@sealstream/streams';
import { backupName, required } from '../args.ts';
import { checkRestoreDirectory, deferredTarget } from '../deferredTarget.ts';
import { defineCommand } from '../defineCommand.ts';
import { closeDestinations, openDestinations } from '../destinations.ts';
import { whileInterruptible } from '../interrupt.ts';
import { resolveKeys } from '../keys.ts';
import { human, printable, printJson } from '../output.ts';
import { progressBar } from '../progressBar.ts';
import { UsageError } from '../UsageError.ts';
import { dumpObject } from './dumpCommand.ts';

const usage = `sealstream restore [LATEST|SUBDIR] --from URI... --to DIR (--passphrase-file F | --kms URI...) [options]

Restores a backup into DIR (which must be absent or empty): the tree exactly as it was when the
layer was taken; an interrupted restore into DIR is resumed by running the same command again.
Any one of the backup's keys works. With --to -, writes one object's bytes to stdout instead
(the one --object names, or the backup's only object; see sealstream dump).

  --from URI          the collection (every locality's URI for locality-aware backups)
  --to DIR            where to restore (- for stdout: exactly one file or stream object)
  --as-of LAYER       restore the chain as of this layer (see sealstream list)
  --object NAME       restore only this object (or directory); repeatable
  --preserve-special-bits  apply stored setuid/setgid bits (cleared by default)
  --ignore-errors     restore everything that authenticates; name each entry that does not
                      (stderr, --json failed) and exit 3 instead of failing on the first
  --no-same-owner     as root, do not give entries their stored owners (uid/gid); a normal
                      user never does (the files are its own, and a warning says so)
  --no-xattrs         do not restore extended attributes (nor POSIX ACLs)
  --numeric-owner     as root, give owners by their stored ids even where their stored user
                      and group names exist here under other ids (by default the name wins)
  --kms URI / --passphrase-file F   a key of the backup
  --json              print one JSON document on stdout
  --json-progress     write progress as JSON lines on stderr (about one a second, and a last one)`;

export const restoreCommand = defineCommand({
  name: 'restore',
  summary: 'restore a backup (LATEST, a subdirectory, --as-of a layer)',
  usage,
  options: {
    from: { type: 'string', multiple: true },
    to: { type: 'string' },
    'as-of': { type: 'string' },
    object: { type: 'string', multiple: true },
    'preserve-special-bits': { type: 'boolean' },
    'no-same-owner': { type: 'boolean' },
    'numeric-owner': { type: 'boolean' },
    'no-xattrs': { type: 'boolean' },
    'ignore-errors': { type: 'boolean' },
    kms: { type: 'string', multiple: true },
    'passphrase-file': { type: 'string' },
    json: { type: 'boolean' },
    'json-progress': { type: 'boolean' },
  },
  async run({ values, positionals }) {
    const name = backupName(positionals);
    const to = required(values.to, '--to');
    if (to === '-') {
      if (values.json)
        throw new UsageError('--to - writes the object on stdout: --json is not taken');
      await dumpObject(values, name, values.object);
      return 0;
    }
    // Refused before any key is asked for; made only once the backup has opened.
    await checkRestoreDirectory(to);
    const destinations = await openDestinations(required(values.from, '--from'));
    try {
      const keys = await resolveKeys({
        kms: values.kms ?? [],
        passphraseFile: values['passphrase-file'],
      });
      const owner = values['no-same-owner'] !== true && restoresOwners();
      const warnings: string[] = [];
      if (values['no-same-owner'] !== true && !owner)
        warnings.push(
          'not running as root: owners (uid/gid) are not restored; the files belong to the user running the restore',
        );
      const target = deferredTarget(() =>
        directoryTarget(to, {
          preserveSpecialBits: values['preserve-special-bits'] === true,
          owner,
          numericOwner: values['numeric-owner'] === true,
          xattrs: values['no-xattrs'] !== true,
          onWarning: (message) => warnings.push(message),
        }),
      );
      const bar = progressBar({ jsonLines: values['json-progress'] === true });
      // Ctrl-C (or SIGTERM) discards the files being written: no partial file is left behind.
      const result = await whileInterruptible(
        () =>
          target.abort(
            new SealstreamError(
              'ERR_CLI_INTERRUPTED',
              'interrupted; files being written were removed',
            ),
          ),
        () =>
          restore({
            collection: destinations,
            keys,
            target,
            ...(name === undefined ? {} : { backup: name }),
            ...(values['as-of'] === undefined ? {} : { asOf: values['as-of'] }),
            ...(values.object === undefined ? {} : { objects: values.object }),
            ...(values['ignore-errors'] === true ? { ignoreErrors: true } : {}),
            ...(bar.onProgress ? { onProgress: bar.onProgress } : {}),
          }),
      ).finally(bar.end);
      for (const f of result.keyFailures)
        process.stderr.write(
          `sealstream: key ${printable(f.uri)} failed (${f.code}): ${printable(f.message)}\n`,
        );
      for (const f of result.failed)
        process.stderr.write(
          `sealstream: could not restore ${printable(f.path)} (${f.code}): ${printable(f.reason)}\n`,
        );
      for (const w of warnings) process.stderr.write(`sealstream: warning: ${w}\n`);
      if (values.json) printJson({ ok: true, command: 'restore', to, ...result, warnings });
      else
        console.log(
          `restored ${printable(result.id)}: ${result.objects} objects, ${human(result.bytes)} into ${printable(to)} (key: ${printable(result.openedWith)})`,
        );
      if (result.failed.length > 0)
        process.stderr.write(
          `sealstream: ${result.failed.length} entr${result.failed.length === 1 ? 'y' : 'ies'} could not be restored\n`,
        );
      return result.failed.length > 0 ? 3 : 0;
    } finally {
      await closeDestinations(destinations);
    }
  },
});
