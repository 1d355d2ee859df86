import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { nodeBuiltins, RUNTIME_CONDITIONS } from '../../runtimes/bundleTests.ts';
import { WEB_PACKAGES } from '../../runtimes/exclusions.ts';
import { runModuleInDeno } from '../../runtimes/runInDeno.ts';
import { REPO_ROOT } from '../../runtimes/testFiles.ts';

// Packaging: every web-tier package bundles for the browser with no Node built-in and no
// Node-only dependency, and exposes the same API under Node, the browser and Deno.

/** Third-party dependencies known to run in browsers, Deno and workerd. Add one only after checking. */
// fzstd: a pure-JavaScript zstd decoder without dependencies; the streams package's chunk codec
// tests run it in Chromium, Deno and workerd.
const WEB_SAFE_DEPENDENCIES = new Set(['@noble/ciphers', '@noble/hashes', 'fzstd', 'hash-wasm']);

interface PackageJson {
  name: string;
  sideEffects?: unknown;
  dependencies?: Record<string, string>;
  exports?: Record<string, unknown>;
}

function packageJson(pkg: string): PackageJson {
  return JSON.parse(
    readFileSync(join(REPO_ROOT, 'packages', pkg, 'package.json'), 'utf8'),
  ) as PackageJson;
}

async function browserBundle(pkg: string) {
  return build({
    stdin: {
      contents: `export * from '@sealstream/${pkg}';`,
      resolveDir: join(REPO_ROOT, 'tests'),
      loader: 'js',
    },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    conditions: ['@sealstream/source', ...RUNTIME_CONDITIONS.chromium],
    plugins: [nodeBuiltins('error')],
    metafile: true,
    logLevel: 'silent',
    outfile: 'out.js',
  });
}

describe.each(WEB_PACKAGES)('@sealstream/%s packaging', (pkg) => {
  it('is side-effect free and depends only on web-tier packages and web-safe libraries', () => {
    const pj = packageJson(pkg);
    // The web entry is side-effect free; only a Node-only entry (`*.node.*`) may have effects.
    const effects = pj.sideEffects === false ? [] : pj.sideEffects;
    expect(Array.isArray(effects), 'sideEffects must be false or a list of *.node.* files').toBe(
      true,
    );
    expect((effects as string[]).filter((f) => !/\.node\.[jt]s$/.test(f))).toEqual([]);
    const web = new Set(WEB_PACKAGES.map((p) => `@sealstream/${p}`));
    const notWeb = Object.keys(pj.dependencies ?? {}).filter(
      (d) => !web.has(d) && !WEB_SAFE_DEPENDENCIES.has(d),
    );
    expect(notWeb, `${pj.name} depends on packages not known to be web-safe`).toEqual([]);
  });

  it('bundles for the browser (esbuild, platform browser) with no Node built-in and no *.node.ts file', async () => {
    const result = await browserBundle(pkg);
    expect(result.errors).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((i) => i.includes(`packages/${pkg}/src/`))).toBe(true);
    expect(inputs.filter((i) => /\.node\.[cm]?[jt]s$/.test(i))).toEqual([]);
  });

  it('exposes in the browser bundle every export it has under Node, except Node-only extras', async () => {
    const result = await browserBundle(pkg);
    const output = Object.values(result.metafile.outputs)[0];
    const browserExports = [...(output?.exports ?? [])].sort();
    const nodeExports = Object.keys(await import(`@sealstream/${pkg}`)).sort();
    expect(browserExports.length).toBeGreaterThan(0);
    expect(browserExports.filter((e) => !nodeExports.includes(e))).toEqual([]);
    const nodeOnly = nodeExports.filter((e) => !browserExports.includes(e));
    if (nodeOnly.length > 0) {
      // Extras are allowed only through a `node` export condition (e.g. aead's nodeEngine).
      expect(JSON.stringify(packageJson(pkg).exports)).toContain('"node"');
    }
  });
});

describe('Deno', () => {
  it('loads every web-tier package and sees the same export names as the browser', async () => {
    const imports = WEB_PACKAGES.map((p, i) => `import * as p${i} from '@sealstream/${p}';`).join(
      '\n',
    );
    const table = WEB_PACKAGES.map(
      (p, i) => `${JSON.stringify(p)}: Object.keys(p${i}).sort()`,
    ).join(', ');
    const result = await build({
      stdin: {
        contents: `${imports}\nconsole.log(JSON.stringify({ ${table} }));`,
        resolveDir: join(REPO_ROOT, 'tests'),
        loader: 'js',
      },
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'neutral',
      mainFields: ['module', 'main'],
      conditions: ['@sealstream/source', ...RUNTIME_CONDITIONS.deno],
      plugins: [nodeBuiltins('error')],
      logLevel: 'silent',
    });
    const run = await runModuleInDeno(result.outputFiles[0]?.text ?? '');
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const seen = JSON.parse(run.stdout) as Record<string, string[]>;
    for (const pkg of WEB_PACKAGES) {
      const output = Object.values((await browserBundle(pkg)).metafile.outputs)[0];
      expect(seen[pkg], pkg).toEqual([...(output?.exports ?? [])].sort());
    }
  });
});

describe('the packaging check itself', () => {
  it('fails a browser bundle that imports a Node built-in, naming the importer', async () => {
    const bundle = build({
      entryPoints: [join(REPO_ROOT, 'tests/runtimes/fixtures/nodeImport.fixture.ts')],
      bundle: true,
      write: false,
      platform: 'browser',
      plugins: [nodeBuiltins('error')],
      external: ['vitest'],
      logLevel: 'silent',
    });
    await expect(bundle).rejects.toThrow(
      /Node built-in "node:fs" imported by tests\/runtimes\/fixtures\/nodeImport\.fixture\.ts/,
    );
  });
});
