import { open } from 'node:fs/promises';

/**
 * fsyncs a directory so a rename or link in it survives a crash. Platforms that cannot open or
 * fsync a directory (Windows: EPERM/EISDIR; some filesystems: EINVAL) are tolerated.
 *
 * @example
 * ```ts
 * import { syncDirectory } from '@sealstream/storage-local';
 * await syncDirectory('/tmp');
 * ```
 */
export async function syncDirectory(dir: string): Promise<void> {
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
