import { open } from 'node:fs/promises';

/** Per directory: the fsync running now, and the one queued to start after it. */
const syncs = new Map<string, { running: Promise<void>; next?: Promise<void> }>();

/**
 * fsyncs a directory so a rename or link in it survives a crash. Platforms that cannot open or
 * fsync a directory (Windows: EPERM/EISDIR; some filesystems: EINVAL) are tolerated.
 *
 * Concurrent calls for one directory share work: a call waits for an fsync that *starts* after
 * it was made (an fsync already running may have begun before the caller's rename), so when
 * eight writers commit into one directory at once, two fsyncs cover all of them instead of
 * eight.
 *
 * @example
 * ```ts
 * import { syncDirectory } from './syncDirectory.ts';
 * await syncDirectory('/tmp');
 * ```
 */
export function syncDirectory(dir: string): Promise<void> {
  const state = syncs.get(dir);
  if (state === undefined) return startSync(dir);
  // An fsync is running and may predate this caller's rename: wait for the next one, which
  // every caller arriving meanwhile shares.
  state.next ??= state.running.catch(() => {}).then(() => startSync(dir));
  return state.next;
}

/** Starts an fsync of `dir` and records it as the running one (forgotten when nothing waits). */
function startSync(dir: string): Promise<void> {
  const running = fsyncDirectory(dir).finally(() => {
    const s = syncs.get(dir);
    if (s?.running === running && s.next === undefined) syncs.delete(dir);
  });
  syncs.set(dir, { running });
  return running;
}

async function fsyncDirectory(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (
      code !== 'EPERM' &&
      code !== 'EISDIR' &&
      code !== 'EINVAL' &&
      code !== 'ENOTSUP' &&
      code !== 'EBADF'
    )
      throw e;
  } finally {
    await handle?.close().catch(() => {});
  }
}
