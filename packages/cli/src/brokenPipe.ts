/** The status a process killed by SIGPIPE reports to its shell (128 + 13). */
export const BROKEN_PIPE_STATUS = 141;

/**
 * Ends the process quietly with status 141 when the reader of stdout or stderr goes away
 * (`sealstream list --in c | head -1`): what a C program killed by SIGPIPE reports, so `set -o
 * pipefail` scripts see sealstream as they see `cat`. Node ignores SIGPIPE, and without this the
 * write's EPIPE is an unhandled 'error' event with a stack. Other stream errors are rethrown.
 */
export function exitOnBrokenPipe(
  streams: NodeJS.WriteStream[] = [process.stdout, process.stderr],
): void {
  for (const stream of streams) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(BROKEN_PIPE_STATUS);
      throw e;
    });
  }
}
