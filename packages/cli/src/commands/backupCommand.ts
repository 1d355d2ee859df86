import { lstatSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { type BackupEntry, backup } from '@sealstream/backup';
import { excludeRules, type WalkOptions, walkDirectory } from '@sealstream/fs';
import { isSealstreamError } from '@sealstream/streams';
import { required } from '../args.ts';
import { defineCommand } from '../defineCommand.ts';
import { closeDestinations, localityRules, openDestinations } from '../destinations.ts';
import { whileInterruptible } from '../interrupt.ts';
import { resolveKeys } from '../keys.ts';
import { human, printable, printJson } from '../output.ts';
import { progressBar } from '../progressBar.ts';
import { UsageError } from '../UsageError.ts';

const usage = `sealstream backup PATH... --into URI... (--passphrase-file F | --kms URI...) [options]

Backs up files, directories or stdin (PATH -) into a collection: a full backup in a new dated
subdirectory, or with --incremental a layer holding only what changed since the last layer.

  --into URI          the collection (repeat with COCKROACH_LOCALITY=… for locality-aware backups)
  --kms URI           a KMS key (repeatable): local-kms:///PATH, aws:///…, gs:///…, azure-kms:///…
  --passphrase-file F read the passphrase from F (or set SEALSTREAM_PASSPHRASE, or type it)
  --kdf NAME          argon2id (default) or pbkdf2, for a passphrase
  --incremental       append a layer to LATEST's chain (or to --chain ID's)
  --chain ID          with --incremental: the full backup whose chain to extend
  --name NAME         the object name of stdin (default: stdin)
  --locality P=L      put objects under name prefix P into locality L (repeatable)
  --exclude PATTERN   leave out what matches (repeatable): *.log, node_modules, cache/*.tmp, **/build
                      (no / in PATTERN: a base name at any depth; with /: a path from PATH)
  --exclude-file F    patterns from F, one per line (# comments)
  --exclude-if-present NAME   leave out every directory that holds NAME (e.g. .nobackup)
  --one-file-system   do not descend into other file systems (mount points are kept, empty)
  --no-xattrs         do not store extended attributes (and so POSIX ACLs)
  --dry-run           say how many objects and bytes would be backed up; read and write nothing
  --json              print one JSON document on stdout
  --json-progress     write progress as JSON lines on stderr (about one a second, and a last one)

A path that cannot be read (permission denied, removed or replaced during the backup) is named
on stderr and left out; the backup is still committed and the exit status is 3.`;

export const backupCommand = defineCommand({
  name: 'backup',
  summary: 'back up paths or stdin into a collection (full or --incremental)',
  usage,
  options: {
    into: { type: 'string', multiple: true },
    kms: { type: 'string', multiple: true },
    'passphrase-file': { type: 'string' },
    kdf: { type: 'string' },
    incremental: { type: 'boolean' },
    chain: { type: 'string' },
    name: { type: 'string' },
    locality: { type: 'string', multiple: true },
    exclude: { type: 'string', multiple: true },
    'exclude-file': { type: 'string', multiple: true },
    'exclude-if-present': { type: 'string', multiple: true },
    'one-file-system': { type: 'boolean' },
    'no-xattrs': { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    json: { type: 'boolean' },
    'json-progress': { type: 'boolean' },
  },
  async run({ values, positionals }) {
    if (positionals.length === 0)
      throw new UsageError('backup needs at least one PATH (or - for stdin)');
    if (values.chain !== undefined && !values.incremental)
      throw new UsageError('--chain goes with --incremental');
    const sources = checkSources(positionals, values.name);
    const walk = walkOptions(values);
    if (values['dry-run']) {
      const n = await countEntries(sources, walk);
      if (values.json) printJson({ ok: true, command: 'backup', dryRun: true, ...n });
      else
        console.log(
          `would back up ${n.objects} objects, ${human(n.bytes)}${sources.some((x) => x.stdin) ? ' and stdin' : ''} (dry run: nothing read or written)`,
        );
      return 0;
    }
    const destinations = await openDestinations(required(values.into, '--into'));
    try {
      const keys = await resolveKeys({
        kms: values.kms ?? [],
        passphraseFile: values['passphrase-file'],
        kdf: values.kdf,
        confirm: !values.incremental,
      });
      const skipped: { path: string; reason: string }[] = [];
      const skip = (path: string, reason: string) => {
        skipped.push({ path, reason });
        process.stderr.write(`sealstream: skipping ${printable(path)}: ${reason}\n`);
      };
      const warnings: string[] = [];
      const warn = (path: string, why: string) => {
        const message = `${printable(path)}: stored without its ${why}`;
        warnings.push(message);
        process.stderr.write(`sealstream: warning: ${message}\n`);
      };
      const bar = progressBar({ jsonLines: values['json-progress'] === true });
      // Totals for the progress bar come from a first walk that only lists (stdin has none).
      const totals =
        bar.onProgress && !sources.some((x) => x.stdin)
          ? await countEntries(sources, walk)
          : undefined;
      // Ctrl-C (or SIGTERM) closes the storages: writes in progress are abandoned and leave no
      // temporary file; the unfinished backup is invisible (nothing was committed).
      const run = () =>
        backup({
          collection: destinations,
          entries: sourceEntries(sources, walk, skip, warn),
          keys,
          ...(values.incremental ? { incremental: values.chain ?? true } : {}),
          locality: localityRules(values.locality ?? [], destinations),
          ...(totals === undefined
            ? {}
            : { totalBytes: totals.bytes, totalObjects: totals.objects }),
          ...(bar.onProgress ? { onProgress: bar.onProgress } : {}),
          // A file swapped since the walk (a symlink, a FIFO, another file), gone, or unreadable is
          // left out and named; the backup goes on and the command exits 3.
          skipObject: (name, error) => {
            const reason = unreadable(error);
            if (reason === undefined) return false;
            skip(name, reason);
            return true;
          },
        });
      const result = await whileInterruptible(() => closeDestinations(destinations), run).finally(
        bar.end,
      );
      if (values.json) printJson({ ok: true, command: 'backup', ...result, skipped, warnings });
      else {
        console.log(
          `${result.type} backup ${result.id}: ${result.objects} objects, ${human(result.bytes)} ` +
            `(${result.written.objects} read, ${human(result.written.bytes)}; ${result.unchanged} unchanged; ` +
            `${human(result.stored.bytes)} new in ${result.stored.packs} packs)`,
        );
        if (skipped.length > 0)
          process.stderr.write(
            `sealstream: ${skipped.length} path(s) could not be read and are not in this backup\n`,
          );
      }
      return skipped.length > 0 || warnings.length > 0 ? 3 : 0;
    } finally {
      await closeDestinations(destinations);
    }
  },
});

/** One PATH argument: a file or directory, or stdin. */
interface Source {
  stdin: boolean;
  path: string;
  /** The name its entries get (stdin's name, or the directory's base name with several PATHs). */
  prefix: string | undefined;
}

/**
 * Checks the PATH arguments before anything is opened: stdin at most once, `--name` only with
 * stdin, every path there, and no two top-level names alike (the only place names can clash).
 */
function checkSources(paths: string[], stdinName: string | undefined): Source[] {
  if (paths.filter((p) => p === '-').length > 1)
    throw new UsageError('stdin (-) can be given once');
  if (stdinName !== undefined && !paths.includes('-'))
    throw new UsageError('--name names stdin; pass - as a PATH');
  const single = paths.length === 1;
  const sources = paths.map((p): Source => {
    if (p === '-') return { stdin: true, path: p, prefix: stdinName ?? 'stdin' };
    const abs = resolve(p);
    try {
      lstatSync(abs);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      throw new UsageError(`cannot read ${p}: ${err.code ?? err.message}`);
    }
    return { stdin: false, path: abs, prefix: single ? undefined : basename(abs) };
  });
  const names = new Set<string>();
  for (const s of sources) {
    const name = s.prefix ?? '';
    if (names.has(name))
      throw new UsageError(
        `two objects would be named ${JSON.stringify(name)}; back them up separately`,
      );
    names.add(name);
  }
  return sources;
}

/** The entries of every source, streamed in the order given (each one depth first). */
async function* sourceEntries(
  sources: Source[],
  walk: WalkOptions,
  skip: (path: string, reason: string) => void,
  warn: (path: string, why: string) => void,
): AsyncGenerator<BackupEntry> {
  for (const s of sources) {
    if (s.stdin) {
      yield {
        name: s.prefix as string,
        type: 'stream',
        open: () => Readable.toWeb(process.stdin) as ReadableStream<Uint8Array>,
      };
      continue;
    }
    yield* walkDirectory(s.path, {
      ...walk,
      ...(s.prefix ? { prefix: s.prefix } : {}),
      onSkip: (path, why) =>
        process.stderr.write(`sealstream: skipping ${printable(path)}: ${why}\n`),
      onError: skip,
      onWarning: warn,
    });
  }
}

/** Entries and bytes of the sources (a listing only: nothing is opened; stdin counts as one). */
async function countEntries(
  sources: Source[],
  walk: WalkOptions,
): Promise<{ objects: number; bytes: number }> {
  const n = { objects: 0, bytes: 0 };
  for (const s of sources) {
    if (s.stdin) {
      n.objects++;
      continue;
    }
    for await (const e of walkDirectory(s.path, {
      ...walk,
      ...(s.prefix ? { prefix: s.prefix } : {}),
      xattrs: false,
      onSkip: () => {},
      onError: () => {},
    })) {
      n.objects++;
      n.bytes += e.size ?? 0;
    }
  }
  return n;
}

/** The walk's options, from --exclude, --exclude-file, --exclude-if-present, --one-file-system, --no-xattrs. */
function walkOptions(values: {
  exclude?: string[];
  'exclude-file'?: string[];
  'exclude-if-present'?: string[];
  'one-file-system'?: boolean;
  'no-xattrs'?: boolean;
}): WalkOptions {
  const patterns = [...(values.exclude ?? [])];
  for (const file of values['exclude-file'] ?? []) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(
        `cannot read --exclude-file ${file}: ${(e as NodeJS.ErrnoException).code}`,
      );
    }
    for (const line of text.split(/\r?\n/)) {
      const p = line.trim();
      if (p !== '' && !p.startsWith('#')) patterns.push(p);
    }
  }
  let exclude: ((path: string) => boolean) | undefined;
  try {
    exclude = patterns.length > 0 ? excludeRules(patterns) : undefined;
  } catch (e) {
    throw new UsageError(`--exclude: ${(e as Error).message}`);
  }
  return {
    ...(exclude === undefined ? {} : { exclude }),
    ...(values['exclude-if-present'] ? { excludeIfPresent: values['exclude-if-present'] } : {}),
    ...(values['one-file-system'] ? { oneFileSystem: true } : {}),
    ...(values['no-xattrs'] ? { xattrs: false } : {}),
  };
}

/** Why a source could not be read, when that is a reason to leave it out rather than fail. */
function unreadable(error: unknown): string | undefined {
  if (isSealstreamError(error, 'ERR_CLI_SOURCE_CHANGED')) return error.code;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EACCES' || code === 'EPERM') return `${code}: permission denied`;
  if (code === 'ENOENT') return 'ENOENT: it was removed after the walk';
  return undefined;
}
