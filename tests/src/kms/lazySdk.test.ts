import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const testsDir = fileURLToPath(new URL('../..', import.meta.url));

// Runs in a fresh Node process (as the CLI does): loads the three provider packages and registers
// them, lists which SDK files are loaded, then uses the AWS provider once and lists again.
const script = `
import { createRequire } from 'node:module';
const { registerAwsKms, awsKeyWrapper } = await import('@sealstream/kms-aws');
const { registerGcpKms } = await import('@sealstream/kms-gcp');
const { registerAzureKms } = await import('@sealstream/kms-azure');
registerAwsKms(); registerGcpKms(); registerAzureKms();
const cache = () => Object.keys(createRequire(import.meta.url).cache);
const sdk = (files) => ['@aws-sdk', '@google-cloud', 'google-gax', '@azure'].filter((n) => files.some((f) => f.includes('/' + n)));
const before = sdk(cache());
const w = awsKeyWrapper('aws:///alias/k?AUTH=specified&REGION=us-east-1&AWS_ACCESS_KEY_ID=A&AWS_SECRET_ACCESS_KEY=s&AWS_ENDPOINT=http%3A%2F%2F127.0.0.1%3A9', { maxAttempts: 1 });
await w.wrap(new Uint8Array(32)).catch(() => {});
console.log(JSON.stringify({ before, after: sdk(cache()) }));
`;

describe('cloud SDKs are loaded lazily', () => {
  it('importing and registering the providers loads no SDK; the first use of a scheme loads only its SDK', async () => {
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ['--conditions=@sealstream/source', '--import', 'tsx', '--input-type=module', '-e', script],
        {
          cwd: testsDir,
          encoding: 'utf8',
          timeout: 60_000,
          env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
        },
        (err, stdout, stderr) =>
          err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
      ),
    );
    const result = JSON.parse(out.trim().split('\n').pop() as string) as {
      before: string[];
      after: string[];
    };
    expect(result.before).toEqual([]);
    expect(result.after).toEqual(['@aws-sdk']);
  });
});
