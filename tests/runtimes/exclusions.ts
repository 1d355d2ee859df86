/**
 * Which web-tier test files run in which runtime, and why some do not.
 *
 * Convention: a test file that needs Node (a `node:` import, a Node-only dependency, a child
 * process, a server) is named `*.node.test.ts`; it runs under Node only (`pnpm test`) and is
 * never bundled for Deno, Chromium or workerd. Every other `*.test.ts` in a web-tier package (and
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
 * name (`suite > test`) contains `test` — that must not run in the given runtimes. Test-level
 * exclusions apply to the Deno and workerd runners (the shim reports them as skipped, with the
 * reason); Chromium runs real vitest and takes file-level entries only.
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
const AEAD_NODE_ENGINE =
  'imports ./index.node.ts and runs every case through the node engine (node:crypto) as well: Node-only as written; the web engines are covered everywhere by tests/src/runtimes/web/aead.web.test.ts';

export const EXCLUSIONS: readonly Exclusion[] = [
  { file: 'packages/aead/src/decryptStream.test.ts', runtimes: ALL, reason: AEAD_NODE_ENGINE },
  { file: 'packages/aead/src/encryptStream.test.ts', runtimes: ALL, reason: AEAD_NODE_ENGINE },
  {
    file: 'packages/aead/src/engines/wycheproof.test.ts',
    runtimes: ALL,
    reason: `reads vectors with node:fs and ${AEAD_NODE_ENGINE.slice(0, 95)}; Wycheproof through the web engines runs in tests/src/runtimes/web/aead.web.test.ts`,
  },
  {
    file: 'packages/aead/src/golden.test.ts',
    runtimes: ALL,
    reason:
      'its independent reference reader is written with node:crypto and Buffer; the golden files are opened by the web engines in tests/src/runtimes/web/aead.web.test.ts',
  },
  {
    file: 'packages/kms/src/docExamples.test.ts',
    runtimes: ALL,
    reason: 'runs the TSDoc examples as child processes (node:child_process, node:fs)',
  },
  {
    file: 'packages/storage/src/testing/storageConformance.test.ts',
    runtimes: ALL,
    reason:
      'runs the conformance suite against broken drivers in a child vitest (node:child_process); the suite itself runs everywhere through memoryStorage.test.ts',
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
