import { resolve } from 'node:path';
import { writeLocalKeyFile } from '@sealstream/kms/node';
import { required } from '../args.ts';
import { defineCommand } from '../defineCommand.ts';
import { printJson } from '../output.ts';

const usage = `sealstream keygen --out FILE [--json]

Makes a new random 256-bit key file (mode 0600, never overwritten) for local-kms:///ABSOLUTE/PATH.`;

export const keygenCommand = defineCommand({
  name: 'keygen',
  summary: 'make a local-kms key file',
  usage,
  options: { out: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values }) {
    const out = resolve(required(values.out, '--out'));
    await writeLocalKeyFile(out);
    const uri = `local-kms://${out}`;
    if (values.json) printJson({ ok: true, command: 'keygen', file: out, uri });
    else console.log(`wrote ${out}; use --kms ${uri}`);
    return 0;
  },
});
