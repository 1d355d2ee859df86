import { lstat, readdir, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { RestoreTarget } from '@sealstream/backup';
import { SealstreamError } from '@sealstream/streams';

/**
 * A restore target that makes the real one (`make`) only when the restore begins — after the
 * key has opened and the layer and objects were found — so a restore that fails before (a wrong
 * key, an unknown layer or object) leaves nothing behind.
 *
 * @example
 * ```ts
 * const target = deferredTarget(() => directoryTarget('/tmp/out'));
 * ```
 */
export function deferredTarget(make: () => Promise<RestoreTarget>): RestoreTarget {
  let made: RestoreTarget | undefined;
  const real = (): RestoreTarget => {
    if (made === undefined) throw new TypeError('deferredTarget: used before begin()');
    return made;
  };
  return {
    async begin(objects) {
      made = await make();
      await made.begin?.(objects);
    },
    mkdir: (name, meta) => real().mkdir(name, meta),
    writeFile: (name, meta) => real().writeFile(name, meta),
    symlink: (name, target, meta) => real().symlink(name, target, meta),
    finish: async () => {
      await made?.finish?.();
    },
  };
}

/**
 * Checks a restore directory before anything is read: it must be absent, or an empty directory
 * (a symlink to one is followed). A regular file, a dangling symlink or a directory with
 * anything in it is a typed error, and nothing is created.
 */
export async function checkRestoreDirectory(dir: string): Promise<void> {
  const path = resolve(dir);
  const st = await lstat(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
  if (st === undefined) return;
  const target = st.isSymbolicLink()
    ? await stat(path).catch((e: NodeJS.ErrnoException) => {
        throw new SealstreamError(
          'ERR_CLI_TARGET_NOT_DIRECTORY',
          `restore target ${path} is a symlink to nothing (${e.code}); restore into a new or empty directory`,
        );
      })
    : st;
  if (!target.isDirectory())
    throw new SealstreamError(
      'ERR_CLI_TARGET_NOT_DIRECTORY',
      `restore target ${path} is not a directory; restore into a new or empty directory`,
    );
  if ((await readdir(path)).length > 0)
    throw new SealstreamError(
      'ERR_CLI_TARGET_NOT_EMPTY',
      `restore target ${path} is not empty; restore into a new or empty directory`,
    );
}
