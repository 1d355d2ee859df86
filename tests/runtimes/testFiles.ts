import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exclusionsFor, NODE_ONLY_SUFFIX, type Runtime, WEB_PACKAGES } from './exclusions.ts';

/** The repository root (absolute, no trailing slash). */
export const REPO_ROOT: string = fileURLToPath(new URL('../..', import.meta.url)).replace(
  /\/$/,
  '',
);

function walk(dir: string, out: string[]): void {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (e.name === 'node_modules' || e.name === 'dist') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name.endsWith('.test.ts')) out.push(p);
  }
}

/** Cross-package tests written to run in every runtime (Node runs them in `pnpm test` too). */
export const WEB_TESTS_DIR = 'tests/src/runtimes/web';

/**
 * The first Node-only module a test file imports itself (`node:*` or a `*.node.ts` file), if
 * any. Such a file cannot load outside Node, so the runners skip it and say so, by name.
 */
export function nodeOnlyImport(path: string): string | undefined {
  const source = readFileSync(path, 'utf8');
  const m =
    /^\s*import\s+(?:[^'"]*?\sfrom\s+)?['"]((?:node:[^'"]+)|(?:[^'"]+\.node\.ts))['"]/m.exec(
      source,
    );
  return m?.[1];
}

/** A test file that does not run in a runtime, with the reason printed by the runner. */
export interface Skipped {
  file: string;
  reason: string;
}

/**
 * The web-tier test files (repo-relative, sorted) that run in `runtime`, and those that do not.
 * `only` narrows to files whose path contains one of the given substrings (CLI filter).
 *
 * @example
 * ```ts
 * import { webTestFiles } from './testFiles.ts';
 * const { files, skipped } = webTestFiles('deno');
 * console.log(files.length, skipped.length);
 * ```
 */
export function webTestFiles(
  runtime: Runtime,
  only: readonly string[] = [],
): { files: string[]; skipped: Skipped[] } {
  const all: string[] = [];
  for (const pkg of WEB_PACKAGES) walk(join(REPO_ROOT, 'packages', pkg, 'src'), all);
  walk(join(REPO_ROOT, WEB_TESTS_DIR), all);
  const excluded = exclusionsFor(runtime);
  const files: string[] = [];
  const skipped: Skipped[] = [];
  for (const abs of all.sort()) {
    const file = relative(REPO_ROOT, abs);
    if (only.length > 0 && !only.some((o) => file.includes(o))) continue;
    if (file.endsWith(NODE_ONLY_SUFFIX)) {
      skipped.push({ file, reason: `Node-only by convention (${NODE_ONLY_SUFFIX})` });
      continue;
    }
    if (
      /\.(browser|deno|workerd)\.test\.ts$/.test(file) &&
      !file.endsWith(`.${runtime === 'chromium' ? 'browser' : runtime}.test.ts`)
    ) {
      skipped.push({ file, reason: 'written for another runtime (by its suffix)' });
      continue;
    }
    const nodeImport = nodeOnlyImport(abs);
    if (nodeImport !== undefined) {
      skipped.push({
        file,
        reason: `Node-only: imports ${nodeImport} (rename it *.node.test.ts, or make it portable)`,
      });
      continue;
    }
    const ex = excluded.find((e) => e.file === file && e.test === undefined);
    if (ex) {
      skipped.push({ file, reason: ex.reason });
      continue;
    }
    files.push(file);
  }
  return { files, skipped };
}

/** Test-level exclusions for `runtime` (file, name fragment, reason), for the shim. */
export function testSkips(runtime: Runtime): { file: string; test: string; reason: string }[] {
  return exclusionsFor(runtime).flatMap((e) =>
    e.test === undefined ? [] : [{ file: e.file, test: e.test, reason: e.reason }],
  );
}

/** Prints the skipped files loudly, one line each, so no exclusion is silent. */
export function printSkipped(runtime: Runtime, skipped: readonly Skipped[]): void {
  for (const s of skipped) console.log(`[${runtime}] not run: ${s.file} — ${s.reason}`);
  for (const t of testSkips(runtime))
    console.log(`[${runtime}] not run: ${t.file} > "${t.test}" — ${t.reason}`);
}
