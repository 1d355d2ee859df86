import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from './args.ts';
import { uriValues } from './uriArgs.ts';

const dir = mkdtempSync(join(tmpdir(), 'sealstream-uriargs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SECRET = 'wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY';

describe('URI options: @FILE and secrets on the command line', () => {
  it('reads the URIs of an @FILE only you can read, one per line, skipping blanks and comments', () => {
    const file = join(dir, 'into');
    writeFileSync(
      file,
      `# the collection\ns3://bucket/c?AUTH=specified&AWS_ACCESS_KEY_ID=AK&AWS_SECRET_ACCESS_KEY=${SECRET}\n\n./local?COCKROACH_LOCALITY=region%3Dwest\n`,
      { mode: 0o600 },
    );
    const { values } = parse(['--into', `@${file}`], { into: { type: 'string', multiple: true } });
    expect(values.into).toEqual([
      `s3://bucket/c?AUTH=specified&AWS_ACCESS_KEY_ID=AK&AWS_SECRET_ACCESS_KEY=${SECRET}`,
      './local?COCKROACH_LOCALITY=region%3Dwest',
    ]);
    // A single-URI option refuses a file of two.
    expect(() => parse(['--from', `@${file}`], { from: { type: 'string' } })).toThrow(
      /takes one URI/,
    );
  });

  it('refuses an @FILE that group or others can read, and names a missing one', () => {
    const file = join(dir, 'open');
    writeFileSync(file, 'aws:///alias/k?REGION=eu-west-1\n');
    chmodSync(file, 0o644);
    expect(() => uriValues('kms', `@${file}`)).toThrow(
      expect.objectContaining({ code: 'ERR_CLI_INSECURE_URI_FILE' }),
    );
    expect(() => uriValues('kms', `@${join(dir, 'nope')}`)).toThrow(
      expect.objectContaining({
        code: 'ERR_CLI_USAGE',
        message: expect.stringContaining('ENOENT'),
      }),
    );
  });

  it('warns once per option of a secret on the command line, without echoing it', () => {
    const warnings: string[] = [];
    const warn = (m: string) => warnings.push(m);
    const uri = `aws:///alias/k?AUTH=specified&AWS_ACCESS_KEY_ID=AK&AWS_SECRET_ACCESS_KEY=${SECRET}&REGION=eu-west-1`;
    expect(uriValues('new-kms', uri, warn)).toEqual([uri]);
    uriValues('new-kms', uri, warn);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('--new-kms');
    expect(warnings[0]).toContain('@FILE');
    expect(warnings[0]).not.toContain(SECRET);
    // Nothing to warn of: a local path, a key file, implicit credentials.
    for (const [option, value] of [
      ['in', './collection'],
      ['old-kms', 'local-kms:///keys/k.key'],
      ['from', 's3://bucket/c?AUTH=implicit&AWS_REGION=eu-west-1'],
    ] as const)
      uriValues(option, value, warn);
    expect(warnings).toHaveLength(1);
  });
});
