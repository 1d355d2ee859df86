import { resolve } from 'node:path';
import { writeLocalKeyFile } from '@sealstream/kms/node';
import { parse, required } from '../args.ts';
import { printJson } from '../output.ts';

export const keygenUsage = `sealstream keygen --out FILE [--json]

Makes a new random 256-bit key file (mode 0600, never overwritten) for local-kms:///ABSOLUTE/PATH.`;

export async function keygenCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { out: { type: 'string' }, json: { type: 'boolean' } });
  if (values.help) {
    console.log(keygenUsage);
    return 0;
  }
  const out = resolve(required(values.out, '--out'));
  await writeLocalKeyFile(out);
  const uri = `local-kms://${out}`;
  if (values.json) printJson({ ok: true, command: 'keygen', file: out, uri });
  else console.log(`wrote ${out}; use --kms ${uri}`);
  return 0;
}
