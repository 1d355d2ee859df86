import { basename, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { type BackupEntry, backup } from '@sealstream/backup';
import { isSealstreamError } from '@sealstream/streams';
import { parse, required } from '../args.ts';
import { closeDestinations, localityRules, openDestinations } from '../destinations.ts';
import { resolveKeys } from '../keys.ts';
import { human, printable, printJson } from '../output.ts';
import { progressBar } from '../progressBar.ts';
import { UsageError } from '../UsageError.ts';
import { walkDirectory } from '../walkDirectory.ts';

export const backupUsage = `sealstream backup PATH... --into URI... (--passphrase-file F | --kms URI...) [options]

Backs up files, directories or stdin (PATH -) into a collection: a full backup in a new dated
subdirectory, or with --incremental a layer holding only what changed since the last layer.

  --into URI          the collection (repeat with COCKROACH_LOCALITY=… for locality-aware backups)
  --kms URI           a KMS key (repeatable): local-kms:///PATH, aws:///…, gs:///…, azure-kms:///…
  --passphrase-file F read the passphrase from F (or set SEALSTREAM_PASSPHRASE, or type it)
  --kdf NAME          argon2id (default) or pbkdf2, for a passphrase
  --incremental [ID]  append a layer to LATEST's chain (or to --chain ID)
  --chain ID          with --incremental: the full backup whose chain to extend
  --name NAME         the object name of stdin (default: stdin)
  --locality P=L      put objects under name prefix P into locality L (repeatable)
  --json              print one JSON document on stdout`;

export async function backupCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    into: { type: 'string', multiple: true },
    kms: { type: 'string', multiple: true },
    'passphrase-file': { type: 'string' },
    kdf: { type: 'string' },
    incremental: { type: 'boolean' },
    chain: { type: 'string' },
    name: { type: 'string' },
    locality: { type: 'string', multiple: true },
    json: { type: 'boolean' },
  });
  if (values.help) {
    console.log(backupUsage);
    return 0;
  }
  if (positionals.length === 0)
    throw new UsageError('backup needs at least one PATH (or - for stdin)');
  if (values.chain !== undefined && !values.incremental)
    throw new UsageError('--chain goes with --incremental');
  const destinations = await openDestinations(required(values.into, '--into'));
  try {
    const keys = await resolveKeys({
      kms: values.kms ?? [],
      passphraseFile: values['passphrase-file'],
      kdf: values.kdf,
      confirm: !values.incremental,
    });
    const { entries, totalBytes } = await collectEntries(positionals, values.name);
    const bar = progressBar();
    const result = await backup({
      into: destinations,
      entries,
      keys,
      ...(values.incremental ? { incremental: values.chain ?? true } : {}),
      locality: localityRules(values.locality ?? [], destinations),
      ...(totalBytes === undefined ? {} : { totalBytes, totalObjects: entries.length }),
      ...(bar.onProgress ? { onProgress: bar.onProgress } : {}),
      // A file swapped since the walk (a symlink, a FIFO, another file) is left out, not read.
      skipObject: (name, error) => {
        if (!isSealstreamError(error, 'ERR_CLI_SOURCE_CHANGED')) return false;
        process.stderr.write(`sealstream: skipping ${printable(name)}: ${error.code}\n`);
        return true;
      },
    }).finally(bar.end);
    if (values.json) printJson({ ok: true, command: 'backup', ...result });
    else {
      console.log(
        `${result.type} backup ${result.id}: ${result.objects} objects, ${human(result.bytes)} ` +
          `(${result.written.objects} read, ${human(result.written.bytes)}; ${result.unchanged} unchanged; ` +
          `${human(result.stored.bytes)} new in ${result.stored.packs} packs)`,
      );
    }
    return 0;
  } finally {
    await closeDestinations(destinations);
  }
}

/** Walks every PATH up front (sizes for progress, names checked for clashes before any upload). */
async function collectEntries(
  paths: string[],
  stdinName: string | undefined,
): Promise<{ entries: BackupEntry[]; totalBytes?: number }> {
  const entries: BackupEntry[] = [];
  const single = paths.length === 1;
  let stdinUsed = false;
  for (const p of paths) {
    if (p === '-') {
      if (stdinUsed) throw new UsageError('stdin (-) can be given once');
      stdinUsed = true;
      entries.push({
        name: stdinName ?? 'stdin',
        type: 'stream',
        open: () => Readable.toWeb(process.stdin) as ReadableStream<Uint8Array>,
      });
      continue;
    }
    const abs = resolve(p);
    const prefix = single ? undefined : basename(abs);
    try {
      for await (const e of walkDirectory(abs, {
        ...(prefix ? { prefix } : {}),
        onSkip: (path, why) =>
          process.stderr.write(`sealstream: skipping ${printable(path)}: ${why}\n`),
      })) {
        entries.push(e);
      }
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      throw new UsageError(`cannot read ${p}: ${err.code ?? err.message}`);
    }
  }
  const names = new Set<string>();
  for (const e of entries) {
    if (names.has(e.name))
      throw new UsageError(
        `two objects would be named ${JSON.stringify(e.name)}; back them up separately`,
      );
    names.add(e.name);
  }
  if (stdinName !== undefined && !stdinUsed)
    throw new UsageError('--name names stdin; pass - as a PATH');
  return stdinUsed
    ? { entries }
    : { entries, totalBytes: entries.reduce((n, e) => n + (e.size ?? 0), 0) };
}
