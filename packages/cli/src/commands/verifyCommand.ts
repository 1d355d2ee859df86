import { verify } from '@sealstream/backup';
import { parse } from '../args.ts';
import { CHAIN_OPTIONS, withChain } from '../chainCommand.ts';
import { human, printable, printJson } from '../output.ts';
import { progressBar } from '../progressBar.ts';

export const verifyUsage = `sealstream verify [LATEST|SUBDIR] --in URI... (--passphrase-file F | --kms URI...) [--as-of LAYER] [--json] [--json-progress]

Reads and authenticates every byte of a backup chain (up to a layer); writes nothing.
--json-progress writes progress as JSON lines on stderr (about one a second, and a last one).`;

export async function verifyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...CHAIN_OPTIONS,
    'json-progress': { type: 'boolean' },
  });
  if (values.help) {
    console.log(verifyUsage);
    return 0;
  }
  return withChain(values, positionals, async (source) => {
    const bar = progressBar({ jsonLines: values['json-progress'] === true });
    const result = await verify({
      ...source,
      ...(bar.onProgress ? { onProgress: bar.onProgress } : {}),
    }).finally(bar.end);
    if (values.json) printJson({ ok: true, command: 'verify', ...result });
    else
      console.log(
        `verified ${result.layers.length} layer(s) of ${printable(result.full)}: ${result.packs} packs, ${result.blobs} blobs, ${human(result.bytes)} authenticated`,
      );
    return 0;
  });
}
