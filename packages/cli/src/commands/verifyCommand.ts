import { verify } from '@sealstream/backup';
import { CHAIN_OPTIONS, withChain } from '../chainCommand.ts';
import { defineCommand } from '../defineCommand.ts';
import { human, printable, printJson } from '../output.ts';
import { progressBar } from '../progressBar.ts';

const usage = `sealstream verify [LATEST|SUBDIR] --in URI... (--passphrase-file F | --kms URI...) [--as-of LAYER] [--json] [--json-progress]

Reads and authenticates every byte of a backup chain (up to a layer); writes nothing.
--json-progress writes progress as JSON lines on stderr (about one a second, and a last one).`;

export const verifyCommand = defineCommand({
  name: 'verify',
  summary: 'read and authenticate every byte of a backup',
  usage,
  options: {
    ...CHAIN_OPTIONS,
    'json-progress': { type: 'boolean' },
  },
  async run({ values, positionals }) {
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
  },
});
