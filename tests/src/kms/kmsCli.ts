import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));

/** What one run of the CLI gave. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * A runner of the `sealstream` CLI as a user runs it (a child process, from source), for tests
 * whose KMS emulators live in the test process: it never blocks this process's event loop. The
 * environment is minimal — `HOME` is `home`, no cloud credentials, no metadata servers — plus
 * `env`. Every output is kept in `outputs` (for secret scans).
 */
export function kmsCli(options: { home: string; env?: Record<string, string> }): {
  run: (args: string[], env?: Record<string, string>) => Promise<Run>;
  outputs: string[];
} {
  const outputs: string[] = [];
  const run = (args: string[], env: Record<string, string> = {}): Promise<Run> => {
    const started = Date.now();
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [
          '--conditions=@sealstream/source',
          '--import',
          'tsx',
          join(root, 'packages/cli/src/bin.ts'),
          ...args,
        ],
        {
          cwd: root,
          encoding: 'utf8',
          timeout: 120_000,
          env: {
            PATH: process.env.PATH ?? '',
            HOME: options.home,
            METADATA_SERVER_DETECTION: 'none',
            AWS_EC2_METADATA_DISABLED: 'true',
            NO_COLOR: '1',
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
            ...options.env,
            ...env,
          },
        },
        (err, stdout, stderr) => {
          const code = err
            ? typeof (err as { code?: unknown }).code === 'number'
              ? (err as { code: number }).code
              : 1
            : 0;
          outputs.push(stdout, stderr);
          resolve({ code, stdout, stderr, ms: Date.now() - started });
        },
      );
    });
  };
  return { run, outputs };
}

/** `r`, or a thrown Error with its output when it did not exit 0. */
export function ok(r: Run): Run {
  if (r.code !== 0) throw new Error(`sealstream failed (${r.code}):\n${r.stderr}\n${r.stdout}`);
  return r;
}
