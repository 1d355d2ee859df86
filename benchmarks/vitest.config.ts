import { defineConfig } from 'vitest/config';

/**
 * Unit tests of the benchmark helpers (statistics, argument parsing, sources and sinks, the
 * ceiling). The benchmarks themselves are not tests: `pnpm bench` runs them.
 */
export default defineConfig({
  ssr: {
    resolve: { conditions: ['@sealstream/source', 'node', 'development|production'] },
  },
  test: { include: ['src/**/*.test.ts'], testTimeout: 60_000 },
});
