import { SealstreamError } from '@sealstream/streams';
import { alterCommand, alterUsage } from './commands/alterCommand.ts';
import { backupCommand, backupUsage } from './commands/backupCommand.ts';
import { dumpCommand, dumpUsage } from './commands/dumpCommand.ts';
import { forgetCommand, forgetUsage } from './commands/forgetCommand.ts';
import { keygenCommand, keygenUsage } from './commands/keygenCommand.ts';
import { keysCommand, keysUsage } from './commands/keysCommand.ts';
import { listCommand, listUsage } from './commands/listCommand.ts';
import { pruneCommand, pruneUsage } from './commands/pruneCommand.ts';
import { rekeyCommand, rekeyUsage } from './commands/rekeyCommand.ts';
import { restoreCommand, restoreUsage } from './commands/restoreCommand.ts';
import { showCommand, showUsage } from './commands/showCommand.ts';
import { verifyCommand, verifyUsage } from './commands/verifyCommand.ts';
import { printJson } from './output.ts';
import { registerProviders } from './providers.ts';
import { UsageError } from './UsageError.ts';
import { cliVersion } from './version.ts';

const commands: Record<string, [(argv: string[]) => Promise<number>, string]> = {
  keygen: [keygenCommand, keygenUsage],
  backup: [backupCommand, backupUsage],
  restore: [restoreCommand, restoreUsage],
  dump: [dumpCommand, dumpUsage],
  show: [showCommand, showUsage],
  list: [listCommand, listUsage],
  verify: [verifyCommand, verifyUsage],
  alter: [alterCommand, alterUsage],
  keys: [keysCommand, keysUsage],
  rekey: [rekeyCommand, rekeyUsage],
  forget: [forgetCommand, forgetUsage],
  prune: [pruneCommand, pruneUsage],
};

export const usage = `sealstream — encrypted, streaming backups

Usage: sealstream <command> [options]   (sealstream <command> --help for details)
       sealstream --version

  keygen   make a local-kms key file
  backup   back up paths or stdin into a collection (full or --incremental)
  restore  restore a backup (LATEST, a subdirectory, --as-of a layer)
  dump     write one object of a backup (a file, or a stream from stdin) to stdout
  show     list what a backup holds (SHOW BACKUP)
  list     list the backups of a collection (no key needed)
  verify   read and authenticate every byte of a backup
  alter    add or remove keys of a backup chain
  keys     list the keys of a backup chain, with the entry ids alter takes (no key needed)
  rekey    re-encrypt a backup chain under a new data key and new keys (revocation)
  forget   delete the backup chains no retention policy keeps (--keep-daily 7 …; no key needed)
  prune    delete what interrupted backups left behind (no key needed; safe beside a running backup)

The collection option (--into, --from or --in) is also --collection. URI options (--into,
--from, --in, --collection, --kms, --old-kms, --new-kms, --add-kms, --remove-kms) take
@FILE to read the URIs from FILE (one per line; mode 0600), so credentials stay out of ps; a
secret given on the command line is warned of. AUTH=implicit takes credentials from the
environment instead.

Exit status: 0 success, 1 failure, 2 usage error, 3 backup committed but some paths could not
be read (each is named on stderr), 141 output pipe closed.`;

/**
 * Runs the `sealstream` command line and returns its exit status. Errors become one line on
 * stderr (`sealstream: CODE: message`), and with `--json` also a JSON document on stdout.
 */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const json = rest.includes('--json');
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    const version = cliVersion();
    if (json) printJson({ ok: true, command: 'version', version });
    else console.log(version);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`sealstream: unknown command ${JSON.stringify(name)}\n\n${usage}\n`);
    return 2;
  }
  try {
    registerProviders();
    return await command[0](rest);
  } catch (e) {
    const code = e instanceof SealstreamError ? e.code : 'ERR_UNEXPECTED';
    const message = (e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, ' ');
    process.stderr.write(`sealstream ${name}: ${code}: ${message}\n`);
    if (e instanceof UsageError) process.stderr.write(`(see sealstream ${name} --help)\n`);
    if (json) printJson({ ok: false, command: name, error: { code, message } });
    if (code === 'ERR_UNEXPECTED' && process.env.SEALSTREAM_DEBUG) console.error(e);
    return e instanceof UsageError ? 2 : 1;
  }
}
