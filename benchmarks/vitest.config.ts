import { defineConfig } from 'vitest/config';

/**
 * Unit tests of the kit (paired rounds and their ratios, the ceiling, the tree maker). The
 * benchmarks themselves are not tests: `pnpm bench` runs them.
 */
export default defineConfig({
  ssr: {
    resolve: { conditions: ['@sealstream/source', 'node', 'development|production'] },
  },
  test: { include: ['src/**/*.test.ts'], testTimeout: 60_000 },
});
