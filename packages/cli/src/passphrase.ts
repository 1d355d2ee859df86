import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { SealstreamError } from '@sealstream/streams';
import { UsageError } from './UsageError.ts';

/**
 * The passphrase, from (in order) `--passphrase-file`, `SEALSTREAM_PASSPHRASE`, or an
 * interactive prompt on the terminal — never from argv, never echoed. A single trailing
 * newline of the file is dropped. A passphrase file any other user may read (`mode & 0o077`)
 * is refused with `ERR_CLI_INSECURE_PASSPHRASE_FILE`, as local-kms key files are.
 */
export async function readPassphrase(options: {
  file?: string | undefined;
  env?: boolean;
  prompt?: string;
  confirm?: boolean;
}): Promise<string | undefined> {
  if (options.file !== undefined) {
    const text = await readPassphraseFile(options.file);
    const pass = text.replace(/\r?\n$/, '');
    if (pass.length === 0) throw new UsageError(`the passphrase file ${options.file} is empty`);
    return pass;
  }
  if (options.env !== false) {
    const env = process.env.SEALSTREAM_PASSPHRASE;
    if (env !== undefined && env.length > 0) return env;
  }
  if (options.prompt && process.stdin.isTTY && process.stderr.isTTY) {
    const first = await promptHidden(options.prompt);
    if (first.length === 0) throw new UsageError('empty passphrase');
    if (options.confirm && (await promptHidden('Repeat the passphrase: ')) !== first) {
      throw new UsageError('the passphrases do not match');
    }
    return first;
  }
  return undefined;
}

/** Reads a passphrase file, checking the mode of the opened file (no race with a chmod). */
async function readPassphraseFile(path: string): Promise<string> {
  const cannot = (e: NodeJS.ErrnoException) =>
    new UsageError(`cannot read the passphrase file ${path}: ${e.code ?? e.message}`);
  const fh = await open(path, 'r').catch((e: NodeJS.ErrnoException) => {
    throw cannot(e);
  });
  try {
    const st = await fh.stat();
    if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
      const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
      throw new SealstreamError(
        'ERR_CLI_INSECURE_PASSPHRASE_FILE',
        `the passphrase file ${path} is accessible by group or others (mode ${mode}); run: chmod 600 ${path}`,
      );
    }
    return await fh.readFile('utf8').catch((e: NodeJS.ErrnoException) => {
      throw cannot(e);
    });
  } finally {
    await fh.close();
  }
}

async function promptHidden(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const out = rl as unknown as { _writeToOutput: (s: string) => void };
  let asked = false;
  out._writeToOutput = (s: string) => {
    if (!asked) {
      process.stderr.write(s);
      asked = true;
    }
  };
  try {
    return await new Promise<string>((resolve) => rl.question(question, resolve));
  } finally {
    rl.close();
    process.stderr.write('\n');
  }
}
