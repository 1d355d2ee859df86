import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './freePort.ts';
import { requireInstalled, servicesDir } from './paths.ts';
import { httpAnswers, type ServerProcess, startServerProcess } from './serverProcess.ts';

/** A running Cloud Storage emulator (from firebase-tools, headless) on 127.0.0.1. */
export interface GcsEmulator {
  readonly port: number;
  /** API endpoint, e.g. `http://127.0.0.1:PORT` (no `/storage/v1`: the emulator answers 501 to that). */
  readonly endpoint: string;
  /** A `gs://` URI for `bucket/prefix` on this emulator (no authentication). */
  uri(bucket: string, prefix?: string): string;
  /** Stops the emulator (SIGKILL when `abrupt`). It keeps objects in memory: a restart starts empty. */
  stop(abrupt?: boolean): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  /** Stops it and removes its files. */
  dispose(): Promise<void>;
}

/**
 * Starts the Cloud Storage emulator of firebase-tools 15.34.2 (installed by `.ci/services.sh`
 * into `.services/firebase-tools`) without the Firebase CLI and its Java rules runtime, through
 * `gcs-emulator-headless.cjs`, on a free loopback port. Fails, never skips, when it is not
 * installed.
 *
 * @example
 * ```ts
 * const gcs = await startGcsEmulator();
 * const storage = gcsStorage(gcs.uri('bucket', 'prefix'));
 * await gcs.dispose();
 * ```
 */
export async function startGcsEmulator(): Promise<GcsEmulator> {
  const firebaseTools = join(servicesDir, 'firebase-tools', 'node_modules', 'firebase-tools');
  requireInstalled(
    join(firebaseTools, 'lib', 'emulator', 'storage', 'index.js'),
    'firebase-tools 15.34.2 (npm --omit=optional, into .services/firebase-tools)',
  );
  const dir = mkdtempSync(join(tmpdir(), 'sealstream-gcs-'));
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  let proc: ServerProcess | undefined;
  const start = async () => {
    proc = await startServerProcess(
      process.execPath,
      [
        join(new URL('.', import.meta.url).pathname, 'gcs-emulator-headless.cjs'),
        String(port),
        '127.0.0.1',
        'demo-test',
      ],
      {
        log: join(dir, 'gcs-emulator.log'),
        env: { ...process.env, TMPDIR: dir, FIREBASE_TOOLS_DIR: firebaseTools },
        ready: () => httpAnswers(`${endpoint}/storage/v1/b/ready/o`),
        timeoutMs: 60_000,
      },
    );
  };
  await start();
  return {
    port,
    endpoint,
    uri: (bucket, prefix = '') =>
      `gs://${bucket}/${prefix}?AUTH=none&GCS_ENDPOINT=${encodeURIComponent(endpoint)}`,
    async stop(abrupt = false) {
      await proc?.stop(abrupt ? 'SIGKILL' : 'SIGTERM');
      proc = undefined;
    },
    start,
    async dispose() {
      await proc?.stop();
      proc = undefined;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
