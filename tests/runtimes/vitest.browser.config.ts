import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { assertChromium, CHROMIUM_ARGS, CHROMIUM_PATH } from './chromiumLaunch.ts';
import { printSkipped, REPO_ROOT, testSkips, webTestFiles } from './testFiles.ts';

/**
 * Vitest browser mode: every web-tier package's tests in headless Chromium (Debian's apt
 * package, driven by Playwright; nothing is downloaded). Sources resolve through the
 * `@sealstream/source` and `browser` conditions, so no build step is needed. Node-only files
 * (`*.node.test.ts`) and the Chromium exclusions are listed on stdout when the config loads.
 *
 *   pnpm test:browser [path-substring …]
 */
assertChromium();
const { files, skipped } = webTestFiles('chromium');
printSkipped('chromium', skipped);
const escapeRegExp = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const names = testSkips('chromium').map((t) => escapeRegExp(t.test));
/** Test-level exclusions: every test whose full name contains a listed fragment is skipped. */
const testNamePattern = names.length > 0 ? new RegExp(`^(?!.*(?:${names.join('|')}))`) : undefined;

export default defineConfig({
  root: REPO_ROOT,
  server: { host: '127.0.0.1', fs: { allow: [REPO_ROOT] } },
  resolve: { conditions: ['@sealstream/source', 'module', 'browser', 'development|production'] },
  optimizeDeps: { include: ['fast-check'] },
  test: {
    include: files,
    ...(testNamePattern ? { testNamePattern } : {}),
    testTimeout: 60_000,
    hookTimeout: 180_000,
    browser: {
      enabled: true,
      headless: true,
      api: { host: '127.0.0.1' },
      screenshotFailures: false,
      provider: playwright({
        launchOptions: { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] },
      }),
      instances: [{ browser: 'chromium' }],
    },
  },
});
