/**
 * Which web-tier test files run in which runtime, and why some do not.
 *
 * Convention: a test file that needs Node (a `node:` import, a Node-only dependency, a child
 * process, a server) is named `*.node.test.ts`; it runs under Node only (`pnpm test`) and is
 * never bundled for Deno, Chromium or workerd. Every other `*.test.ts` in a web-tier package runs
 * in all four runtimes unless it is listed below, with the reason printed by every runner.
 *
 * @example
 * ```ts
 * import { exclusionsFor } from './exclusions.ts';
 * for (const e of exclusionsFor('workerd')) console.log(e.file, e.reason);
 * ```
 */

/** A runtime the web-tier tests run in besides Node. */
export type Runtime = 'chromium' | 'deno' | 'workerd';

/** One test file (repo-relative path) that must not run in the given runtimes. */
export interface Exclusion {
  file: string;
  runtimes: readonly Runtime[];
  reason: string;
}

/** The web-tier packages whose tests run everywhere (DESIGN.md, tiers). */
export const WEB_PACKAGES = [
  'streams',
  'aead',
  'kdf',
  'kms',
  'manifest',
  'storage',
  'backup',
] as const;

/** The suffix that marks a Node-only test file. */
export const NODE_ONLY_SUFFIX = '.node.test.ts';

/** Files excluded per runtime, each with the reason. Keep this list short and honest. */
export const EXCLUSIONS: readonly Exclusion[] = [];

/** The exclusions that apply to `runtime`. */
export function exclusionsFor(runtime: Runtime): Exclusion[] {
  return EXCLUSIONS.filter((e) => e.runtimes.includes(runtime));
}
