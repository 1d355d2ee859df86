/**
 * Long-lived sessions in each runtime that run {@link sealWorkload} on request, so a benchmark can
 * time the same work in Chromium, Deno and workerd from Node (wall clock around the call; workerd
 * freezes its own clocks during CPU work, so timing from outside is the only honest way there).
 *
 * @example
 * ```ts
 * import { openSessions } from './runtimeSessions.ts';
 * const sessions = await openSessions(['deno']);
 * console.log(await sessions[0]?.seal(1));
 * await Promise.all(sessions.map((s) => s.close()));
 * ```
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveDirectory } from '@sealstream-examples/browser-seal/serve.ts';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { nodeBuiltins, RUNTIME_CONDITIONS } from '../bundleTests.ts';
import { assertChromium, CHROMIUM_LAUNCH } from '../chromiumLaunch.ts';
import { denoLauncher } from '../runInDeno.ts';
import { startWorker } from '../runInWorkerd.ts';
import { REPO_ROOT } from '../testFiles.ts';

/** A runtime that can run the workload. */
export type BenchRuntime = 'chromium' | 'deno' | 'workerd';

/** One open session. `seal(mib)` resolves with the sealed byte count once the work is done. */
export interface RuntimeSession {
  readonly runtime: BenchRuntime;
  /** Runtime and version, e.g. `Deno/2.9.6`. */
  readonly version: string;
  seal(mib: number): Promise<number>;
  close(): Promise<void>;
}

const WORKLOAD = join(REPO_ROOT, 'tests/runtimes/bench/sealWorkload.ts');

async function bundle(host: string, runtime: BenchRuntime): Promise<string> {
  const result = await build({
    stdin: {
      contents: `import { sealWorkload } from ${JSON.stringify(WORKLOAD)};\n${host}`,
      resolveDir: join(REPO_ROOT, 'tests'),
      loader: 'js',
    },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    mainFields: ['module', 'main'],
    conditions: ['@sealstream/source', ...RUNTIME_CONDITIONS[runtime]],
    plugins: [nodeBuiltins('error')],
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}

async function chromiumSession(): Promise<RuntimeSession> {
  assertChromium();
  const dir = mkdtempSync(join(tmpdir(), 'sealstream-bench-chromium-'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><script type="module" src="./bench.js"></script>',
  );
  writeFileSync(
    join(dir, 'bench.js'),
    await bundle('window.sealWorkload = sealWorkload; window.ready = true;', 'chromium'),
  );
  const server = await serveDirectory(dir);
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  const page = await browser.newPage();
  await page.goto(server.url);
  await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
  return {
    runtime: 'chromium',
    version: `Chromium/${browser.version()}`,
    seal: (mib) =>
      page.evaluate(
        (n) =>
          (window as unknown as { sealWorkload: (m: number) => Promise<number> }).sealWorkload(n),
        mib,
      ),
    async close() {
      await browser.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function workerdSession(): Promise<RuntimeSession> {
  const mf = startWorker(
    await bundle(
      `export default { async fetch(req) {
        const mib = Number(new URL(req.url).searchParams.get('mib'));
        return new Response(String(await sealWorkload(mib)));
      } };`,
      'workerd',
    ),
  );
  await mf.ready;
  return {
    runtime: 'workerd',
    version: `workerd (miniflare ${(await import('miniflare/package.json', { with: { type: 'json' } })).default.version})`,
    seal: async (mib) => Number(await (await mf.dispatchFetch(`http://bench/?mib=${mib}`)).text()),
    close: () => mf.dispose(),
  };
}

async function denoSession(): Promise<RuntimeSession> {
  const dir = mkdtempSync(join(tmpdir(), 'sealstream-bench-deno-'));
  const file = join(dir, 'bench.mjs');
  writeFileSync(
    file,
    await bundle(
      `console.log('ready ' + Deno.version.deno);
       const lines = Deno.stdin.readable.pipeThrough(new TextDecoderStream());
       let buf = '';
       for await (const text of lines) {
         buf += text;
         for (let i = buf.indexOf('\\n'); i >= 0; i = buf.indexOf('\\n')) {
           const mib = Number(buf.slice(0, i));
           buf = buf.slice(i + 1);
           console.log('done ' + (await sealWorkload(mib)));
         }
       }`,
      'deno',
    ),
  );
  const child = spawn(
    process.execPath,
    [denoLauncher(), 'run', '--no-lock', '--no-prompt', '--no-config', file],
    {
      env: { ...process.env, DENO_DIR: join(REPO_ROOT, '.deno-cache'), NO_COLOR: '1' },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const waiting: ((line: string) => void)[] = [];
  let buf = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => {
    buf += d;
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      waiting.shift()?.(line);
    }
  });
  const next = () => new Promise<string>((resolve) => waiting.push(resolve));
  const ready = await next();
  return {
    runtime: 'deno',
    version: `Deno/${ready.replace('ready ', '')}`,
    async seal(mib) {
      const line = next();
      child.stdin.write(`${mib}\n`);
      return Number((await line).replace('done ', ''));
    },
    async close() {
      child.stdin.end();
      await new Promise((r) => child.once('close', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Opens one session per runtime, in order; closes what it opened if one fails. */
export async function openSessions(runtimes: readonly BenchRuntime[]): Promise<RuntimeSession[]> {
  const open: RuntimeSession[] = [];
  try {
    for (const r of runtimes)
      open.push(
        await (r === 'chromium'
          ? chromiumSession()
          : r === 'deno'
            ? denoSession()
            : workerdSession()),
      );
    return open;
  } catch (e) {
    await Promise.all(open.map((s) => s.close()));
    throw e;
  }
}
