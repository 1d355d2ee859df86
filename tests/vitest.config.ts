import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * One vitest run over every package's `src/**\/*.test.ts` and the cross-package tests in
 * `tests/src`. Sources are resolved through the `@sealstream/source` export condition, so no
 * build step is needed.
 */
export default defineConfig({
  root,
  ssr: {
    // No 'module' condition: it selects bundler-only builds (e.g. @aws-sdk's dist-es, extensionless imports) that Node cannot load.
    resolve: { conditions: ['@sealstream/source', 'node', 'development|production'] },
  },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'tests/src/**/*.test.ts',
      'benchmarks/src/**/*.test.ts',
    ],
    exclude: [
      '**/node_modules/**',
      '**/dist/**',
      '**/*.browser.test.ts',
      '**/*.deno.test.ts',
      '**/*.workerd.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    globalSetup: [],
    coverage: {
      provider: 'v8',
      allowExternal: true,
      include: [`${root}packages/*/src/**`],
    },
  },
});
