/**
 * Which web-tier test files run in which runtime, and why some do not.
 *
 * Convention: a test file that needs Node (a `node:` import, a Node-only dependency, a child
 * process, a server) is named `*.node.test.ts`; it runs under Node only (`pnpm test`) and is
 * never bundled for Deno, Chromium or workerd. A `*.test.ts` that itself imports `node:*` or a
 * `*.node.ts` file is treated the same way (it could not load anyway), and every runner prints
 * it as `not run: <file> — Node-only: imports <module>` so its owner can rename or port it. Every other `*.test.ts` in a web-tier package (and
 * in `tests/src/runtimes/web/`) runs in all four runtimes unless it is listed below, with the
 * reason printed by every runner.
 *
 * @example
 * ```ts
 * import { exclusionsFor } from './exclusions.ts';
 * for (const e of exclusionsFor('workerd')) console.log(e.file, e.reason);
 * ```
 */

/** A runtime the web-tier tests run in besides Node. */
export type Runtime = 'chromium' | 'deno' | 'workerd';

/**
 * One test file (repo-relative path) — or, with `test`, only the tests of that file whose full
 * name (`suite > test`) contains `test` — that must not run in the given runtimes. Deno and
 * workerd (the shim) report such tests as skipped with the reason; Chromium (real vitest) skips
 * them through a `testNamePattern` that excludes every listed name fragment.
 */
export interface Exclusion {
  file: string;
  test?: string;
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
const ALL: readonly Runtime[] = ['chromium', 'deno', 'workerd'];

export const EXCLUSIONS: readonly Exclusion[] = [
  {
    file: 'packages/streams/src/codecs.test.ts',
    test: 'match Buffer on random bytes',
    runtimes: ALL,
    reason: "compares the codecs with Node's Buffer, which browsers, Deno and workerd do not have",
  },
  {
    file: 'packages/kdf/src/vectors.test.ts',
    test: 'hash-wasm and @noble/hashes agree',
    runtimes: ['workerd'],
    reason:
      'calls the hash-wasm engine explicitly; workerd forbids compiling WebAssembly at run time ("Wasm code generation disallowed by embedder"), so argon2idHash falls back to noble there',
  },
];

/** The exclusions that apply to `runtime`. */
export function exclusionsFor(runtime: Runtime): Exclusion[] {
  return EXCLUSIONS.filter((e) => e.runtimes.includes(runtime));
}
