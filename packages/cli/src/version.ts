import { readFileSync } from 'node:fs';

/**
 * The version of `@sealstream/cli`, read from its package.json at run time: `src/` and `dist/`
 * both sit one level below it, in the repository and in an installed package alike.
 */
export function cliVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version?: unknown;
  };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}
