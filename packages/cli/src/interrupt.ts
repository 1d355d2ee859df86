/** What {@link whileInterruptible} needs of the process (tests pass their own). */
export interface InterruptSource {
  on(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  exit(code: number): never;
}

/**
 * Runs `work`; a SIGINT or SIGTERM meanwhile runs `cleanup` (given at most `timeoutMs`), then
 * ends the process with 130 (SIGINT) or 143 (SIGTERM), as the shell would report the signal. A
 * second signal during the cleanup ends the process at once.
 *
 * @example
 * ```ts
 * await whileInterruptible(() => target.abort(new Error('interrupted')), () => restore(options));
 * ```
 */
export async function whileInterruptible<T>(
  cleanup: () => Promise<void>,
  work: () => Promise<T>,
  options: { process?: InterruptSource; timeoutMs?: number } = {},
): Promise<T> {
  const proc = options.process ?? (process as unknown as InterruptSource);
  let cleaning = false;
  const listener = (signal: 'SIGINT' | 'SIGTERM') => () => {
    const code = signal === 'SIGINT' ? 130 : 143;
    if (cleaning) proc.exit(code);
    cleaning = true;
    const timer = new Promise<void>((resolve) => setTimeout(resolve, options.timeoutMs ?? 10_000));
    void Promise.race([cleanup().catch(() => {}), timer]).then(() => proc.exit(code));
  };
  const onInt = listener('SIGINT');
  const onTerm = listener('SIGTERM');
  proc.on('SIGINT', onInt);
  proc.on('SIGTERM', onTerm);
  try {
    return await work();
  } finally {
    if (!cleaning) {
      proc.off('SIGINT', onInt);
      proc.off('SIGTERM', onTerm);
    }
  }
}
