import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { redactUri } from '@sealstream/kms';
import { redactStorageUri } from '@sealstream/storage';
import { SealstreamError } from '@sealstream/streams';
import { UsageError } from './UsageError.ts';

/** Options whose values are storage URIs (collections). */
export const STORAGE_URI_OPTIONS: readonly string[] = ['into', 'from', 'in'];
/** Options whose values are KMS URIs. */
export const KMS_URI_OPTIONS: readonly string[] = [
  'kms',
  'old-kms',
  'new-kms',
  'add-kms',
  'remove-kms',
];

const warned = new Set<string>();

/**
 * The URIs an option's value stands for. `@FILE` stands for the URIs in FILE, one per line
 * (blank lines and lines starting with `#` are skipped): a way to give credentials that `ps`
 * does not show. Like a passphrase file, FILE must not be readable by group or others. A URI
 * given on the command line that carries a secret parameter (one its redaction hides) gets one
 * warning on stderr per option, naming the safer ways.
 *
 * @example
 * ```ts
 * import { uriValues } from './uriArgs.ts';
 * console.log(uriValues('into', './collection')); // [ './collection' ]
 * ```
 */
export function uriValues(
  option: string,
  value: string,
  warn: (message: string) => void = (m) => process.stderr.write(m),
): string[] {
  if (value.startsWith('@')) return readUriFile(option, value.slice(1));
  const redacted = KMS_URI_OPTIONS.includes(option) ? redactUri(value) : redactStorageUri(value);
  if (redacted !== value && !warned.has(option)) {
    warned.add(option);
    warn(
      `sealstream: warning: --${option} ${redacted} holds a secret on the command line, where other users can see it (ps); use AUTH=implicit (credentials from the environment) or --${option} @FILE (a file only you can read)\n`,
    );
  }
  return [value];
}

function readUriFile(option: string, path: string): string[] {
  if (path === '') throw new UsageError(`--${option} @FILE needs a file name after @`);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new UsageError(`cannot read --${option} @${path}: ${err.code ?? err.message}`);
  }
  try {
    const st = fstatSync(fd);
    if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
      const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
      throw new SealstreamError(
        'ERR_CLI_INSECURE_URI_FILE',
        `the URI file ${path} is accessible by group or others (mode ${mode}); run: chmod 600 ${path}`,
      );
    }
    const uris = readFileSync(fd, 'utf8')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    if (uris.length === 0) throw new UsageError(`--${option} @${path}: the file names no URI`);
    return uris;
  } finally {
    closeSync(fd);
  }
}
