import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root. */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Where `.ci/services.sh` installs the npm-distributed servers (azurite, firebase-tools). */
export const servicesDir = process.env.SEALSTREAM_SERVICES_DIR ?? join(repoRoot, '.services');

/**
 * Throws (so the test FAILS, never skips) when a server is not installed, saying what to run.
 *
 * @example
 * ```ts
 * requireInstalled('/usr/bin/radosgw', 'Ceph RADOS Gateway (Debian package radosgw)');
 * ```
 */
export function requireInstalled(path: string, what: string): string {
  if (!existsSync(path)) {
    throw new Error(
      `${what} is not installed (${path} is missing). Install the test servers with: bash .ci/services.sh ` +
        '(apt: radosgw ceph-mon ceph-osd; npm into .services/: azurite@3.35.0, firebase-tools@15.34.2 --omit=optional)',
    );
  }
  return path;
}

/**
 * Imports an SDK from a driver package's own dependencies (the tests package does not declare
 * the cloud SDKs), e.g. to create a bucket before a test or to benchmark the bare SDK.
 *
 * @example
 * ```ts
 * const { S3Client } = await importFromPackage<typeof import('@aws-sdk/client-s3')>('storage-s3', '@aws-sdk/client-s3');
 * ```
 */
export async function importFromPackage<T>(pkg: string, specifier: string): Promise<T> {
  const require = createRequire(join(repoRoot, 'packages', pkg, 'package.json'));
  return (await import(pathToFileURL(require.resolve(specifier)).href)) as T;
}
