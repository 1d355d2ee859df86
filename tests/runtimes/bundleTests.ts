import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import type { Runtime } from './exclusions.ts';
import { REPO_ROOT, testSkips } from './testFiles.ts';

/** Export conditions per runtime, besides `@sealstream/source` (sources, no build step). */
export const RUNTIME_CONDITIONS: Record<Runtime, string[]> = {
  chromium: ['browser', 'import', 'module', 'default'],
  deno: ['deno', 'import', 'module', 'default'],
  workerd: ['workerd', 'worker', 'browser', 'import', 'module', 'default'],
};

/** Host code appended after the test table: how each runtime reports. */
const HOSTS: Record<'deno' | 'workerd', string> = {
  deno: `
const only = Deno.args.length ? new Set(Deno.args.map(Number)) : undefined;
const results = await runFiles(files.filter((_, i) => !only || only.has(i)), (r) => console.log(JSON.stringify(r)), SKIPS);
`,
  workerd: `
export default {
  async fetch(request) {
    const i = Number(new URL(request.url).searchParams.get('file'));
    if (!Number.isInteger(i) || !files[i]) return new Response('no such file index', { status: 404 });
    const results = await runFiles([files[i]], undefined, SKIPS);
    return Response.json(results);
  },
};
`,
};

const BUILTINS = new Set([
  'assert',
  'buffer',
  'child_process',
  'crypto',
  'events',
  'fs',
  'fs/promises',
  'http',
  'https',
  'module',
  'net',
  'os',
  'path',
  'process',
  'stream',
  'stream/web',
  'timers',
  'tty',
  'url',
  'util',
  'worker_threads',
  'zlib',
]);

/**
 * Handles `node:` imports and bare Node built-ins. `'error'` fails the build naming the importer
 * (packaging check); `'throw'` replaces the module by one that throws when loaded, so only the
 * test file that imported it fails, with a message that says why.
 */
export function nodeBuiltins(mode: 'error' | 'throw'): Plugin {
  return {
    name: 'node-builtins',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (!args.path.startsWith('node:') && !BUILTINS.has(args.path)) return undefined;
        const importer = args.importer.replace(`${REPO_ROOT}/`, '');
        const text = `Node built-in "${args.path}" imported by ${importer}: not allowed in a web-tier bundle (name Node-only tests *.node.test.ts)`;
        if (mode === 'error') return { errors: [{ text }] };
        return {
          path: `${args.path} from ${importer}`,
          namespace: 'node-builtin-stub',
          pluginData: text,
        };
      });
      b.onLoad({ filter: /.*/, namespace: 'node-builtin-stub' }, (args) => ({
        contents: `throw new Error(${JSON.stringify(args.pluginData)});`,
        loader: 'js',
      }));
    },
  };
}

/**
 * Bundles the given test files (repo-relative) with the vitest shim into one ES module for
 * `runtime`: `vitest` resolves to `tests/runtimes/shim/vitest.ts`, packages resolve through the
 * `@sealstream/source` condition plus the runtime's own conditions, JSON vectors are inlined,
 * and any Node built-in fails the build. Each file is imported lazily (inside the run), so
 * module-scope code of a test file runs where the runtime allows I/O (inside a Worker request).
 *
 * @example
 * ```ts
 * import { bundleTests } from './bundleTests.ts';
 * const code = await bundleTests('deno', ['packages/streams/src/SealstreamError.test.ts']);
 * console.log(code.length > 0);
 * ```
 */
export async function bundleTests(
  runtime: 'deno' | 'workerd',
  files: readonly string[],
): Promise<string> {
  const shim = join(REPO_ROOT, 'tests/runtimes/shim/vitest.ts');
  const table = files
    .map((f) => `  [${JSON.stringify(f)}, () => import(${JSON.stringify(join(REPO_ROOT, f))})],`)
    .join('\n');
  const skips = JSON.stringify(testSkips(runtime));
  const contents = `import { runFiles } from ${JSON.stringify(shim)};\nexport const files = [\n${table}\n];\nconst SKIPS = ${skips};\n${HOSTS[runtime]}`;
  const result = await build({
    stdin: { contents, resolveDir: REPO_ROOT, sourcefile: `${runtime}-tests.mjs`, loader: 'js' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    mainFields: ['module', 'main'],
    conditions: ['@sealstream/source', ...RUNTIME_CONDITIONS[runtime]],
    alias: { vitest: shim },
    plugins: [nodeBuiltins('throw')],
    logLevel: 'silent',
    legalComments: 'none',
    sourcemap: 'inline',
  });
  const out = result.outputFiles[0];
  if (!out) throw new Error('esbuild produced no output');
  return out.text;
}
