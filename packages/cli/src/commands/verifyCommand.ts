import { verify } from '@sealstream/backup';
import { backupName, parse, required } from '../args.ts';
import { closeDestinations, openDestinations } from '../destinations.ts';
import { resolveKeys } from '../keys.ts';
import { human, printable, printJson } from '../output.ts';
import { progressBar } from '../progressBar.ts';

export const verifyUsage = `sealstream verify [LATEST|SUBDIR] --in URI... (--passphrase-file F | --kms URI...) [--as-of LAYER] [--json] [--json-progress]

Reads and authenticates every byte of a backup chain (up to a layer); writes nothing.
--json-progress writes progress as JSON lines on stderr (about one a second, and a last one).`;

export async function verifyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    in: { type: 'string', multiple: true },
    'as-of': { type: 'string' },
    kms: { type: 'string', multiple: true },
    'passphrase-file': { type: 'string' },
    json: { type: 'boolean' },
    'json-progress': { type: 'boolean' },
  });
  if (values.help) {
    console.log(verifyUsage);
    return 0;
  }
  const name = backupName(positionals);
  const destinations = await openDestinations(required(values.in, '--in'));
  try {
    const keys = await resolveKeys({
      kms: values.kms ?? [],
      passphraseFile: values['passphrase-file'],
    });
    const bar = progressBar({ jsonLines: values['json-progress'] === true });
    const result = await verify({
      in: destinations,
      keys,
      ...(name === undefined ? {} : { backup: name }),
      ...(values['as-of'] === undefined ? {} : { asOf: values['as-of'] }),
      ...(bar.onProgress ? { onProgress: bar.onProgress } : {}),
    }).finally(bar.end);
    if (values.json) printJson({ ok: true, command: 'verify', ...result });
    else
      console.log(
        `verified ${result.layers.length} layer(s) of ${printable(result.full)}: ${result.packs} packs, ${result.blobs} blobs, ${human(result.bytes)} authenticated`,
      );
    return 0;
  } finally {
    await closeDestinations(destinations);
  }
}
