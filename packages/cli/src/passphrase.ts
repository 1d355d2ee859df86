import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { UsageError } from './UsageError.ts';

/**
 * The passphrase, from (in order) `--passphrase-file`, `SEALSTREAM_PASSPHRASE`, or an
 * interactive prompt on the terminal — never from argv, never echoed. A single trailing
 * newline of the file is dropped.
 */
export async function readPassphrase(options: {
  file?: string | undefined;
  env?: boolean;
  prompt?: string;
  confirm?: boolean;
}): Promise<string | undefined> {
  if (options.file !== undefined) {
    const text = await readFile(options.file, 'utf8').catch((e: NodeJS.ErrnoException) => {
      throw new UsageError(
        `cannot read the passphrase file ${options.file}: ${e.code ?? e.message}`,
      );
    });
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
