import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where JSON results go: `benchmarks/results/` (gitignored except `.gitkeep`). */
export const RESULTS_DIR = new URL('../results/', import.meta.url);

/**
 * Writes `payload` as pretty JSON to `<dir>/<name>-<timestamp>.json` and returns the path. The
 * timestamp is UTC, filename-safe (`2026-11-28T01-05-00Z`).
 *
 * @example
 * ```ts
 * import { tmpdir } from 'node:os';
 * import { writeResults } from './writeResults.ts';
 * const path = await writeResults('example', { ok: true }, tmpdir());
 * console.assert(path.endsWith('.json'));
 * ```
 */
export async function writeResults(
  name: string,
  payload: unknown,
  dir: string = RESULTS_DIR.pathname,
): Promise<string> {
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(name)) {
    throw new RangeError(
      `Cannot write results as name must be filename-safe: received ${JSON.stringify(name)}`,
    );
  }
  await mkdir(dir, { recursive: true });
  const stamp = new Date()
    .toISOString()
    .replace(/:/g, '-')
    .replace(/\.\d+Z$/, 'Z');
  const path = join(dir, `${name}-${stamp}.json`);
  await writeFile(path, `${JSON.stringify(payload, null, 2)}\n`);
  return path;
}
