/**
 * Whether `warning` is a known, harmless one from a dependency that the CLI should not print:
 * `MaxListenersExceededWarning` raised inside `teeny-request` (the HTTP layer of
 * `@google-cloud/storage`), which adds an 11th listener to its own PassThrough on every streamed
 * download (googleapis/google-cloud-node#9185), so a restore from GCS would print two lines per
 * object read.
 */
export function isKnownHarmlessWarning(warning: Error): boolean {
  return (
    warning.name === 'MaxListenersExceededWarning' &&
    /[\\/]teeny-request[\\/]/.test(warning.stack ?? '')
  );
}

/**
 * Replaces Node's default printer of process warnings with one that skips
 * {@link isKnownHarmlessWarning} and prints every other warning as before. Only for the `sealstream`
 * command, which owns its stderr: the library never touches process-wide handlers.
 *
 * @example
 * ```ts
 * import { quietKnownWarnings } from './quietKnownWarnings.ts';
 * quietKnownWarnings();
 * process.emitWarning('still printed');
 * ```
 */
export function quietKnownWarnings(proc: NodeJS.Process = process): void {
  // A warning's stack is cut at Error.stackTraceLimit (10) when it is made, and nine of those are
  // Node's own (events and stream pipeline) frames; Node 24 added one (warnMaxListenersExceeded),
  // which pushes teeny-request's frame past the tenth. 30 frames keep it in view.
  if (typeof Error.stackTraceLimit === 'number' && Error.stackTraceLimit < 30) {
    Error.stackTraceLimit = 30;
  }
  const printers = proc.listeners('warning') as ((warning: Error) => void)[];
  if (printers.length === 0) return; // no printer installed: nothing to filter
  for (const print of printers) proc.removeListener('warning', print);
  proc.on('warning', (warning: Error) => {
    if (isKnownHarmlessWarning(warning)) return;
    for (const print of printers) print(warning);
  });
}
