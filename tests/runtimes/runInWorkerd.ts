import { Miniflare } from 'miniflare';
import type { TestResult } from './shim/vitest.ts';

/** The compatibility date every workerd run uses (also in docs/RUNTIMES.md). */
export const COMPATIBILITY_DATE = '2025-01-01';

/**
 * Starts a Worker (one ES module, source text) in workerd through Miniflare on 127.0.0.1, with
 * no `nodejs_compat` flag. Dispose the returned instance when done.
 *
 * @example
 * ```ts
 * import { startWorker } from './runInWorkerd.ts';
 * const mf = startWorker('export default { fetch: () => new Response(navigator.userAgent) }');
 * console.log(await (await mf.dispatchFetch('http://localhost/')).text()); // 'Cloudflare-Workers'
 * await mf.dispose();
 * ```
 */
export function startWorker(
  script: string,
  extra: Partial<ConstructorParameters<typeof Miniflare>[0]> = {},
): Miniflare {
  return new Miniflare({
    host: '127.0.0.1',
    port: 0,
    modules: true,
    script,
    compatibilityDate: COMPATIBILITY_DATE,
    ...extra,
  } as ConstructorParameters<typeof Miniflare>[0]);
}

/**
 * Runs a test bundle from `bundleTests('workerd', …)` in workerd, one file per request (so all
 * test code runs inside a request, as in production), and collects the results. A request that
 * fails outright is reported as a failed `(worker)` result for that file.
 */
export async function runTestsInWorkerd(
  bundle: string,
  files: readonly string[],
): Promise<TestResult[]> {
  const mf = startWorker(bundle);
  const results: TestResult[] = [];
  try {
    for (let i = 0; i < files.length; i++) {
      const res = await mf.dispatchFetch(`http://localhost/?file=${i}`);
      const text = await res.text();
      if (res.status !== 200) {
        results.push({
          file: files[i] ?? `#${i}`,
          name: '(worker)',
          status: 'fail',
          ms: 0,
          error: `HTTP ${res.status}: ${text.slice(0, 2000)}`,
        });
        continue;
      }
      results.push(...(JSON.parse(text) as TestResult[]));
    }
  } finally {
    await mf.dispose();
  }
  return results;
}
