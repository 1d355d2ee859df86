import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets its old space grow past what survived its last full collection, in percent.
 * V8 chooses a factor between about 1.1 and 4 by how fast it collects; a backup or restore makes
 * much short-lived garbage beside a small live set, so its heap grew far past what it needed.
 */
export const HEAP_GROWING_PERCENT = 20;

/**
 * Has V8 collect its old space once it grows {@link HEAP_GROWING_PERCENT} % past what survived
 * the last full collection, unless the process was started with its own
 * `--heap-growing-percent` (`node --heap-growing-percent=0 …` keeps V8's own). The flag is read
 * at each collection, so setting it once the process runs takes effect. A full backup of
 * 1,000,000 small files peaked at 333 MiB of RSS with it against 386–396 MiB without; one of
 * 100,000 files at 177 against 195–212 MiB, and its restore at 197–204 against 279–297 MiB, in
 * the same time (docs/decisions/0019-heap-growth.md). Only for the `sealstream` command: the
 * library never sets process-wide flags.
 *
 * @returns whether the flag was set.
 *
 * @example
 * ```ts
 * import { tightenHeap } from './tightenHeap.ts';
 * tightenHeap();
 * ```
 */
export function tightenHeap(
  proc: Pick<NodeJS.Process, 'execArgv'> = process,
  set: (flags: string) => void = setFlagsFromString,
): boolean {
  // Node refuses V8 flags like this one in NODE_OPTIONS: only its command line can carry it.
  if (proc.execArgv.some((a) => /^--heap[-_]growing[-_]percent\b/.test(a))) return false;
  set(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
