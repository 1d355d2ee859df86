/**
 * The folder `pnpm sealstream` was typed in, when the CLI runs through this repository's root
 * `sealstream` script: pnpm runs a root script from the repository root and keeps the caller's
 * folder in `INIT_CWD`. Undefined otherwise — an installed `sealstream`, the CLI started by a
 * test or a script, or another package's script that happens to call it keep their own working
 * directory.
 */
export function callerDirectory(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.npm_lifecycle_event !== 'sealstream' || env.npm_package_name !== 'sealstream-monorepo')
    return undefined;
  return env.INIT_CWD || undefined;
}
