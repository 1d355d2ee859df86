/**
 * Bundles the worker into one ES module for workerd (conditions workerd, worker, browser).
 *
 *   node --import tsx build.ts dist/worker.js
 *
 * @example
 * ```ts
 * import { bundleEdgeWorker } from './build.ts';
 * const script = await bundleEdgeWorker();
 * console.log(script.includes('export'));
 * ```
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));

export async function bundleEdgeWorker(): Promise<string> {
  const result = await build({
    entryPoints: [join(here, 'src/worker.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    mainFields: ['module', 'main'],
    conditions: ['@sealstream/source', 'workerd', 'worker', 'browser'],
    logLevel: 'warning',
  });
  return result.outputFiles[0]?.text ?? '';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = process.argv[2] ?? join(here, 'dist/worker.js');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, await bundleEdgeWorker());
}
