import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './freePort.ts';
import { requireInstalled, servicesDir } from './paths.ts';
import { httpAnswers, type ServerProcess, startServerProcess } from './serverProcess.ts';

/** Azurite's well-known development account (public, documented; not a secret). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** A running Azurite (Blob service only) on 127.0.0.1, data on disk so it survives a restart. */
export interface Azurite {
  readonly port: number;
  /** Account URL, e.g. `http://127.0.0.1:PORT/devstoreaccount1`. */
  readonly endpoint: string;
  /** An `azure-blob://` URI for `container/prefix` on this server. */
  uri(container: string, prefix?: string): string;
  /** Stops the server (SIGKILL when `abrupt`), keeping its data. */
  stop(abrupt?: boolean): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and removes its data. */
  dispose(): Promise<void>;
}

/**
 * Starts Azurite 3.35.0 (installed by `.ci/services.sh` into `.services/azurite`) on a free
 * loopback port. Fails, never skips, when it is not installed.
 *
 * @example
 * ```ts
 * const azurite = await startAzurite();
 * const storage = azureBlobStorage(azurite.uri('c1', 'p'));
 * await azurite.dispose();
 * ```
 */
export async function startAzurite(): Promise<Azurite> {
  const main = requireInstalled(
    join(servicesDir, 'azurite', 'node_modules', 'azurite', 'dist', 'src', 'blob', 'main.js'),
    'Azurite 3.35.0 (npm, into .services/azurite)',
  );
  const dir = mkdtempSync(join(tmpdir(), 'sealstream-azurite-'));
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`;
  let proc: ServerProcess | undefined;
  const start = async () => {
    proc = await startServerProcess(
      process.execPath,
      [
        main,
        '--blobHost',
        '127.0.0.1',
        '--blobPort',
        String(port),
        '--location',
        dir,
        '--silent',
        '--skipApiVersionCheck',
        '--loose',
        '--disableTelemetry',
      ],
      {
        log: join(dir, 'azurite.log'),
        ready: () => httpAnswers(`${endpoint}?comp=list`),
        timeoutMs: 60_000,
      },
    );
  };
  await start();
  return {
    port,
    endpoint,
    uri: (container, prefix = '') =>
      `azure-blob://${container}/${prefix}?AZURE_ACCOUNT_NAME=${AZURITE_ACCOUNT}&AZURE_ACCOUNT_KEY=${encodeURIComponent(AZURITE_KEY)}&AZURE_BLOB_ENDPOINT=${encodeURIComponent(endpoint)}`,
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
