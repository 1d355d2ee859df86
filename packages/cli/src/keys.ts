import { createKeyWrapper, type KeyWrapper, passphraseWrapper } from '@sealstream/kms';
import { readPassphrase } from './passphrase.ts';
import { UsageError } from './UsageError.ts';

/**
 * The keys of a command: one wrapper per `--kms` URI, plus a passphrase from
 * `--passphrase-file`. Only when no key is named on the command line does the passphrase come
 * from `SEALSTREAM_PASSPHRASE` or a prompt: an environment variable never joins a KMS key
 * (it would add a way in to a backup, or break an incremental, without anyone asking). When it
 * is set but not used, a warning says so.
 */
export async function resolveKeys(options: {
  kms: string[];
  passphraseFile?: string | undefined;
  kdf?: string | undefined;
  confirm?: boolean;
}): Promise<KeyWrapper[]> {
  const keys: KeyWrapper[] = [];
  for (const uri of options.kms) keys.push(await createKeyWrapper(uri));
  const named = keys.length > 0;
  if (named && options.passphraseFile === undefined && process.env.SEALSTREAM_PASSPHRASE) {
    process.stderr.write(
      'sealstream: warning: SEALSTREAM_PASSPHRASE is set but not used: --kms names the keys (add --passphrase-file to use a passphrase as well)\n',
    );
  }
  const pass = await readPassphrase({
    file: options.passphraseFile,
    env: !named,
    ...(named ? {} : { prompt: 'Passphrase: ' }),
    ...(options.confirm ? { confirm: true } : {}),
  });
  if (pass !== undefined) keys.push(passphraseWrapper(pass, { kdf: kdfOf(options.kdf) }));
  if (keys.length === 0) {
    throw new UsageError(
      'no key: pass --kms URI, --passphrase-file FILE, or set SEALSTREAM_PASSPHRASE',
    );
  }
  return keys;
}

/** Parses `--kdf`. */
export function kdfOf(kdf: string | undefined): 'argon2id' | 'pbkdf2-sha256' {
  if (kdf === undefined || kdf === 'argon2id') return 'argon2id';
  if (kdf === 'pbkdf2' || kdf === 'pbkdf2-sha256') return 'pbkdf2-sha256';
  throw new UsageError(`unknown --kdf ${kdf} (use argon2id or pbkdf2)`);
}
