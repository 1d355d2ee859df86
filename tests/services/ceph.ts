import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './freePort.ts';

const run = promisify(execFile);
const here = new URL('.', import.meta.url).pathname;

/** The S3 credentials start-ceph.sh creates (test-only, not a secret). */
export const CEPH_ACCESS_KEY = 'test';
export const CEPH_SECRET_KEY = 'testtesttest';

/** A running single-node Ceph (mon + memstore OSD) with a RADOS Gateway (S3) on 127.0.0.1. */
export interface Ceph {
  readonly port: number;
  /** S3 endpoint, e.g. `http://127.0.0.1:PORT`. */
  readonly endpoint: string;
  /** An `s3://` URI for `bucket/prefix` on this gateway (path style, test credentials). */
  uri(bucket: string, prefix?: string): string;
  /** Kills the gateway (SIGKILL); the data stays in the OSD. */
  stopGateway(): Promise<void>;
  /** Starts the gateway again on the same port. */
  startGateway(): Promise<void>;
  /** Stops every daemon and removes the data. */
  dispose(): Promise<void>;
}

function onPath(bin: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((d) => d && existsSync(join(d, bin)));
}

/**
 * Starts Ceph (Debian `radosgw ceph-mon ceph-osd`, installed by `.ci/services.sh`) through
 * `start-ceph.sh` on free loopback ports; takes 15-20 s, and tries up to three times (each failure
 * reported on stderr). Fails, never skips, when Ceph is not installed.
 *
 * @example
 * ```ts
 * const ceph = await startCeph();
 * const storage = s3Storage(ceph.uri('bucket', 'prefix'));
 * await ceph.dispose();
 * ```
 */
export async function startCeph(): Promise<Ceph> {
  const missing = ['radosgw', 'ceph-mon', 'ceph-osd', 'radosgw-admin', 'monmaptool', 'ceph'].filter(
    (b) => !onPath(b),
  );
  if (missing.length) {
    throw new Error(
      `Ceph RADOS Gateway is not installed (${missing.join(', ')} not on PATH). Install the test servers with: bash .ci/services.sh (apt-get install radosgw ceph-mon ceph-osd)`,
    );
  }
  // A single-node Ceph on a loaded 2-core machine occasionally fails to start (a lost port race,
  // a mon slow to accept commands). Each attempt takes fresh ports and a fresh directory; every
  // failed attempt is reported on stderr, and the last one's error is thrown.
  const attempts = 3;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startCephOnce();
    } catch (e) {
      if (attempt === attempts) throw e;
      console.error(
        `[ceph] start attempt ${attempt} of ${attempts} failed, retrying: ${(e as Error).message}`,
      );
    }
  }
}

async function startCephOnce(): Promise<Ceph> {
  const dir = mkdtempSync(join(tmpdir(), 'sealstream-ceph-'));
  const [monPort, port] = [await freePort(), await freePort()];
  const script = (name: string, ...args: string[]) =>
    run('bash', [join(here, name), dir, ...args], { timeout: 180_000 }).catch(
      (e: Error & { stdout?: string; stderr?: string }) => {
        throw new Error(
          `${name} ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''} (logs in ${dir}/log)`,
        );
      },
    );
  try {
    await script('start-ceph.sh', String(monPort), String(port));
  } catch (e) {
    await script('stop-ceph.sh').catch(() => {});
    throw e;
  }
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    port,
    endpoint,
    uri: (bucket, prefix = '') =>
      `s3://${bucket}/${prefix}?AWS_ACCESS_KEY_ID=${CEPH_ACCESS_KEY}&AWS_SECRET_ACCESS_KEY=${CEPH_SECRET_KEY}&AWS_ENDPOINT=${encodeURIComponent(endpoint)}`,
    stopGateway: async () => {
      await script('stop-ceph.sh', 'rgw');
    },
    startGateway: async () => {
      await script('start-ceph.sh', 'rgw');
    },
    dispose: async () => {
      await script('stop-ceph.sh');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
