/**
 * Builds the example into `outDir` (index.html, main.js, sw.js) with esbuild for the browser.
 *
 *   node --import tsx build.ts dist
 *
 * @example
 * ```ts
 * import { buildBrowserSeal } from './build.ts';
 * await buildBrowserSeal('/tmp/browser-seal');
 * ```
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));

export async function buildBrowserSeal(outDir: string): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: { main: join(here, 'src/main.ts'), sw: join(here, 'src/sw.ts') },
    outdir: outDir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@sealstream/source', 'browser'],
    logLevel: 'warning',
  });
  copyFileSync(join(here, 'index.html'), join(outDir, 'index.html'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildBrowserSeal(process.argv[2] ?? join(here, 'dist'));
}
