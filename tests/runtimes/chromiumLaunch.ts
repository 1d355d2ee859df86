/**
 * How every test launches Debian's headless Chromium (see docs/RUNTIMES.md): the apt package's
 * binary, never a Playwright download. `CHROMIUM_PATH` overrides the path.
 *
 * @example
 * ```ts
 * import { chromium } from 'playwright-core';
 * import { CHROMIUM_LAUNCH } from './chromiumLaunch.ts';
 * const browser = await chromium.launch(CHROMIUM_LAUNCH);
 * await browser.close();
 * ```
 */
import { existsSync } from 'node:fs';

/** Path of the Chromium binary (apt's `chromium`). */
export const CHROMIUM_PATH: string = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags that keep a headless run quiet, offline and sandbox-free (CI runs as root). */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launch options for playwright-core's `chromium.launch`. */
export const CHROMIUM_LAUNCH = {
  executablePath: CHROMIUM_PATH,
  headless: true,
  args: [...CHROMIUM_ARGS],
};

/** Throws a message that says how to install Chromium when the binary is missing. */
export function assertChromium(): void {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: run \`bash .ci/runtimes.sh\` (apt-get install chromium) or set CHROMIUM_PATH`,
    );
  }
}
