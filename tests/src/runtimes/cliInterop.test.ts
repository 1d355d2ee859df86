import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { serveDirectory } from '@sealstream-examples/browser-seal/serve.ts';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeBuiltins, RUNTIME_CONDITIONS } from '../../runtimes/bundleTests.ts';
import { assertChromium, CHROMIUM_LAUNCH } from '../../runtimes/chromiumLaunch.ts';
import { runModuleInDeno } from '../../runtimes/runInDeno.ts';
import { REPO_ROOT } from '../../runtimes/testFiles.ts';

// Interop with the CLI: a backup made in headless Chromium with a passphrase restores
// with `sealstream restore` in Node; a backup made by `sealstream backup` with a local-kms key
// restores through the library in Deno.

const PASSPHRASE = 'a browser-made passphrase, long enough';
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sealstream-cli-interop-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=@sealstream/source', '--import', 'tsx', 'packages/cli/src/bin.ts', ...args],
      { cwd: REPO_ROOT, env: { ...process.env, ...env }, maxBuffer: 16 << 20 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function random(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536)
    crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
  return out;
}

function filesUnder(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(root, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(root);
  return out;
}

async function bundle(contents: string, conditions: string[]): Promise<string> {
  const result = await build({
    stdin: { contents, resolveDir: join(REPO_ROOT, 'tests'), loader: 'js' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    conditions: ['@sealstream/source', ...conditions],
    plugins: [nodeBuiltins('error')],
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}

describe('interop with the CLI', { timeout: 240_000 }, () => {
  it('a backup made in Chromium with a passphrase restores with `sealstream restore` in Node', async () => {
    assertChromium();
    const site = join(dir, 'site');
    mkdirSync(site, { recursive: true });
    writeFileSync(
      join(site, 'index.html'),
      '<!doctype html><script type="module" src="./page.js"></script>',
    );
    writeFileSync(
      join(site, 'page.js'),
      await bundle(
        `import { backup } from '@sealstream/backup';
         import { passphraseWrapper } from '@sealstream/kms';
         import { memoryStorage, readObject } from '@sealstream/storage';
         import { decodeBase64, encodeBase64 } from '@sealstream/streams';
         window.makeBackup = async (files, passphrase) => {
           const storage = memoryStorage();
           const entries = Object.entries(files).map(([name, b64]) => {
             const bytes = decodeBase64(b64);
             return { name, type: 'file', size: bytes.length, open: () => new Blob([bytes]).stream() };
           });
           await backup({ collection: storage, keys: [passphraseWrapper(passphrase)], entries });
           const out = {};
           for await (const o of storage.list('')) out[o.key] = encodeBase64(await readObject(storage, o.key));
           return out;
         };
         window.ready = true;`,
        RUNTIME_CONDITIONS.chromium,
      ),
    );
    const server = await serveDirectory(site);
    const browser = await chromium.launch(CHROMIUM_LAUNCH);
    try {
      const page = await browser.newPage();
      await page.goto(server.url);
      await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
      const originals = {
        'notes.txt': new TextEncoder().encode('made in a browser\n'),
        'photos/big.raw': random(300_000),
      };
      const input = Object.fromEntries(
        Object.entries(originals).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
      );
      const objects = (await page.evaluate(
        ([files, pass]) =>
          (
            window as unknown as {
              makeBackup: (f: unknown, p: string) => Promise<Record<string, string>>;
            }
          ).makeBackup(files, pass),
        [input, PASSPHRASE] as const,
      )) as Record<string, string>;
      const collection = join(dir, 'from-chromium');
      for (const [key, b64] of Object.entries(objects)) {
        mkdirSync(dirname(join(collection, key)), { recursive: true });
        writeFileSync(join(collection, key), Buffer.from(b64, 'base64'));
      }
      const passFile = join(dir, 'pass.txt');
      writeFileSync(passFile, `${PASSPHRASE}\n`, { mode: 0o600 });
      const out = join(dir, 'restored-from-chromium');
      const r = await cli([
        'restore',
        'LATEST',
        '--from',
        collection,
        '--to',
        out,
        '--passphrase-file',
        passFile,
      ]);
      expect(r.stderr + r.stdout).not.toContain(PASSPHRASE);
      expect(r.code, r.stderr).toBe(0);
      const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
      expect(filesUnder(out)).toEqual(
        Object.fromEntries(Object.entries(originals).map(([k, v]) => [k, sha(v)])),
      );
      const wrong = join(dir, 'wrong.txt');
      writeFileSync(wrong, 'not it\n', { mode: 0o600 });
      const bad = await cli([
        'restore',
        'LATEST',
        '--from',
        collection,
        '--to',
        join(dir, 'never'),
        '--passphrase-file',
        wrong,
      ]);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/ERR_/);
    } finally {
      await browser.close();
      await server.close();
    }
  });

  it('a backup made by `sealstream backup` with a local-kms key restores through the library in Deno', async () => {
    const data = join(dir, 'data');
    mkdirSync(join(data, 'sub'), { recursive: true });
    writeFileSync(join(data, 'a.txt'), 'hello from the Node CLI\n');
    writeFileSync(join(data, 'sub', 'b.bin'), random(250_000));
    writeFileSync(join(data, 'empty'), '');
    const keyFile = join(dir, 'local.key');
    const keygen = await cli(['keygen', '--out', keyFile]);
    expect(keygen.code, keygen.stderr).toBe(0);
    const collection = join(dir, 'from-cli');
    const b = await cli([
      'backup',
      data,
      '--into',
      collection,
      '--kms',
      `local-kms://${keyFile}`,
      '--json',
    ]);
    expect(b.code, b.stderr).toBe(0);
    const script = await bundle(
      `import { restore } from '@sealstream/backup';
       import { localKeyWrapper } from '@sealstream/kms';
       import { memoryStorage, writeObject } from '@sealstream/storage';
       import { encodeHex } from '@sealstream/streams';
       const [root, keyPath] = Deno.args;
       const storage = memoryStorage();
       async function walk(d, prefix) {
         for await (const e of Deno.readDir(d)) {
           if (e.isDirectory) await walk(d + '/' + e.name, prefix + e.name + '/');
           else if (e.isFile) await writeObject(storage, prefix + e.name, await Deno.readFile(d + '/' + e.name));
         }
       }
       await walk(root, '');
       const files = {};
       const result = await restore({
         collection: storage,
         keys: [localKeyWrapper(await Deno.readFile(keyPath))],
         target: {
           async mkdir() {},
           async symlink() {},
           async writeFile(name) {
             const parts = [];
             return new WritableStream({
               write(c) { parts.push(c); },
               async close() {
                 const bytes = new Uint8Array(await new Blob(parts).arrayBuffer());
                 files[name] = encodeHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)));
               },
             });
           },
         },
       });
       console.log(JSON.stringify({ runtime: navigator.userAgent, objects: result.objects, files }));`,
      RUNTIME_CONDITIONS.deno,
    );
    const run = await runModuleInDeno(script, [collection, keyFile], undefined, [
      `--allow-read=${collection},${keyFile}`,
    ]);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const seen = JSON.parse(run.stdout) as { runtime: string; files: Record<string, string> };
    expect(seen.runtime).toMatch(/^Deno\//);
    const restored = Object.fromEntries(
      Object.entries(seen.files).map(([k, v]) => [k.replace(/^data\//, ''), v]),
    );
    expect(restored).toEqual(filesUnder(data));
  });
});
