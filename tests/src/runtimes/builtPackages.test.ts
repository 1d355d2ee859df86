import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { RUNTIME_CONDITIONS } from '../../runtimes/bundleTests.ts';
import { WEB_PACKAGES } from '../../runtimes/exclusions.ts';
import { REPO_ROOT } from '../../runtimes/testFiles.ts';

// Packaging: the *built* packages (dist/, what npm users get) load under plain Node ESM
// (no tsx, no source condition) and under Deno's own npm resolver, each picking the right entry:
// Node the `node` entry (aead's node:crypto engine), Deno the web entry (WebCrypto).

const TESTS_DIR = join(REPO_ROOT, 'tests');

function run(
  cmd: string,
  args: string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { cwd, maxBuffer: 8 << 20, env: { ...process.env, FORCE_COLOR: '0' } },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const PROBE = `${WEB_PACKAGES.map((p, i) => `import * as p${i} from '@sealstream/${p}';`).join('\n')}
console.log(JSON.stringify({ engine: p1.defaultEngine().name, exports: { ${WEB_PACKAGES.map((p, i) => `${JSON.stringify(p)}: Object.keys(p${i}).sort()`).join(', ')} } }));`;

async function browserExports(pkg: string): Promise<string[]> {
  const result = await build({
    stdin: { contents: `export * from '@sealstream/${pkg}';`, resolveDir: TESTS_DIR, loader: 'js' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    conditions: RUNTIME_CONDITIONS.chromium,
    metafile: true,
    logLevel: 'silent',
    outfile: 'out.js',
  });
  return [...(Object.values(result.metafile.outputs)[0]?.exports ?? [])].sort();
}

describe('built packages (dist)', { timeout: 300_000 }, () => {
  beforeAll(async () => {
    expect(WEB_PACKAGES[1]).toBe('aead');
    const r = await run(
      'pnpm',
      ['turbo', 'run', 'build', '--filter=@sealstream/backup...', '--output-logs=errors-only'],
      REPO_ROOT,
    );
    expect(r.code, `pnpm build failed:\n${r.stdout}\n${r.stderr}`).toBe(0);
  }, 300_000);

  it('load under plain Node ESM through the `node` entry, with the same API as the sources', async () => {
    const r = await run(process.execPath, ['--input-type=module', '-e', PROBE], TESTS_DIR);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const seen = JSON.parse(r.stdout) as { engine: string; exports: Record<string, string[]> };
    expect(seen.engine).toMatch(/^node/);
    for (const pkg of WEB_PACKAGES) {
      expect(seen.exports[pkg], pkg).toEqual(
        Object.keys(await import(`@sealstream/${pkg}`)).sort(),
      );
    }
  });

  it("load under Deno's npm resolver through the web entry, with the browser's API", async () => {
    // Deno resolves npm packages with the `deno` and `node` conditions: packages with a Node-only
    // entry must list `deno` first (aead does), or Deno would get node:crypto.
    const file = join(TESTS_DIR, `.deno-exports-${crypto.randomUUID()}.mjs`);
    writeFileSync(file, PROBE);
    try {
      const r = await run(
        process.execPath,
        [join(TESTS_DIR, 'node_modules/deno/bin.cjs'), 'run', '--no-lock', '--no-prompt', file],
        TESTS_DIR,
      );
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const seen = JSON.parse(r.stdout) as { engine: string; exports: Record<string, string[]> };
      expect(seen.engine).toBe('webcrypto');
      for (const pkg of WEB_PACKAGES)
        expect(seen.exports[pkg], pkg).toEqual(await browserExports(pkg));
    } finally {
      rmSync(file, { force: true });
    }
  });
});
