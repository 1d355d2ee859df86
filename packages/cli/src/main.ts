import { SealstreamError } from '@sealstream/streams';
import { alterCommand } from './commands/alterCommand.ts';
import { backupCommand } from './commands/backupCommand.ts';
import { dumpCommand } from './commands/dumpCommand.ts';
import { forgetCommand } from './commands/forgetCommand.ts';
import { keygenCommand } from './commands/keygenCommand.ts';
import { keysCommand } from './commands/keysCommand.ts';
import { listCommand } from './commands/listCommand.ts';
import { pruneCommand } from './commands/pruneCommand.ts';
import { rekeyCommand } from './commands/rekeyCommand.ts';
import { restoreCommand } from './commands/restoreCommand.ts';
import { showCommand } from './commands/showCommand.ts';
import { verifyCommand } from './commands/verifyCommand.ts';
import type { Command } from './defineCommand.ts';
import { printJson } from './output.ts';
import { registerProviders } from './providers.ts';
import { UsageError } from './UsageError.ts';
import { cliVersion } from './version.ts';

const commands: readonly Command[] = [
  keygenCommand,
  backupCommand,
  restoreCommand,
  dumpCommand,
  showCommand,
  listCommand,
  verifyCommand,
  alterCommand,
  keysCommand,
  rekeyCommand,
  forgetCommand,
  pruneCommand,
];

export const usage = `sealstream — encrypted, streaming backups

Usage: sealstream <command> [options]   (sealstream <command> --help for details)
       sealstream --version

${commands.map((c) => `  ${c.name.padEnd(8)} ${c.summary}`).join('\n')}

The collection option (--into, --from or --in) is also --collection. URI options (--into,
--from, --in, --collection, --kms, --old-kms, --new-kms, --add-kms, --remove-kms) take
@FILE to read the URIs from FILE (one per line; mode 0600), so credentials stay out of ps; a
secret given on the command line is warned of. AUTH=implicit takes credentials from the
environment instead.

Exit status: 0 success, 1 failure, 2 usage error, 3 backup committed but some paths could not
be read in full (each is named on stderr), 141 output pipe closed.`;

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
  const command = commands.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`sealstream: unknown command ${JSON.stringify(name)}\n\n${usage}\n`);
    return 2;
  }
  try {
    registerProviders();
    return await command.run(rest);
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
