import { lstat, readdir, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { RestoreTarget } from '@sealstream/backup';
import { RESTORE_MARKER } from '@sealstream/fs';
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
export function deferredTarget(
  make: () => Promise<RestoreTarget>,
): RestoreTarget & { abort(reason: unknown): Promise<void> } {
  let made: RestoreTarget | undefined;
  const open = new Set<WritableStreamDefaultWriter<Uint8Array>>();
  /** Files being opened: `abort` waits for each to be kept or discarded. */
  const opening = new Set<Promise<unknown>>();
  let aborted: { reason: unknown } | undefined;
  const refusal = (): unknown => (aborted as { reason: unknown }).reason;
  const real = (): RestoreTarget => {
    if (made === undefined) throw new TypeError('deferredTarget: used before begin()');
    return made;
  };
  return {
    async begin(objects, layer) {
      made = await make();
      await made.begin?.(objects, layer);
    },
    complete: async (name, meta) => (await real().complete?.(name, meta)) ?? false,
    mkdir: (name, meta) => real().mkdir(name, meta),
    async writeFile(name, meta) {
      if (aborted) throw refusal();
      // The file's writer is kept, so that `abort` can discard what is being written; until it
      // is kept (or discarded), `abort` waits for it.
      const pending = (async () => {
        const writer = (await real().writeFile(name, meta)).getWriter();
        if (aborted) {
          await writer.abort(refusal()).catch(() => {});
          throw refusal();
        }
        open.add(writer);
        return writer;
      })();
      opening.add(pending);
      const writer = await pending.finally(() => opening.delete(pending));
      return new WritableStream<Uint8Array>({
        write: (chunk) => writer.write(chunk),
        // A writer stays listed until its close or abort has finished, so that `abort` waits
        // for every file still open (one being closed ends complete, under its name).
        close: async () => {
          try {
            await writer.close();
          } finally {
            open.delete(writer);
          }
        },
        abort: async (reason) => {
          try {
            await writer.abort(reason);
          } finally {
            open.delete(writer);
          }
        },
      });
    },
    async writeBytes(name, meta, bytes) {
      if (aborted) throw refusal();
      const t = real();
      if (t.writeBytes !== undefined) return t.writeBytes(name, meta, bytes);
      const writer = (await t.writeFile(name, meta)).getWriter();
      await writer.write(bytes);
      await writer.close();
    },
    symlink: (name, target, meta) => real().symlink(name, target, meta),
    async link(name, existing) {
      if (aborted) throw refusal();
      const t = real();
      if (t.link === undefined) throw new TypeError('deferredTarget: the target makes no links');
      await t.link(name, existing);
    },
    finish: async () => {
      await made?.finish?.();
    },
    settle: async () => {
      await made?.settle?.();
    },
    /**
     * Aborts every file being written or opened (the target discards them: no partial file
     * remains), waits for the files the target writes in the background, and refuses any file
     * after.
     */
    async abort(reason) {
      aborted ??= { reason };
      // Files being opened now are discarded by writeFile itself once they are open.
      await Promise.allSettled([...opening]);
      await Promise.all([...open].map((w) => w.abort(reason).catch(() => {})));
      // Files handed over whole are written (or removed) by a target writing in the background.
      await made?.settle?.().catch(() => {});
    },
  };
}

/**
 * Checks a restore directory before anything is read: it must be absent, an empty directory
 * (a symlink to one is followed), or hold an interrupted restore (its marker) to resume. A regular file, a dangling symlink or a directory with
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
  const entries = await readdir(path);
  // An interrupted restore is resumed (the target checks that it is of the same layer).
  if (entries.includes(RESTORE_MARKER)) return;
  if (entries.length > 0)
    throw new SealstreamError(
      'ERR_CLI_TARGET_NOT_EMPTY',
      `restore target ${path} is not empty; restore into a new or empty directory`,
    );
}
