import { type FileHandle, link, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { StorageError } from '@sealstream/storage';
import { fsStorageError } from './fsStorageError.ts';
import { syncDirectory } from './syncDirectory.ts';
import { tempName } from './tempName.ts';

/**
 * Largest write buffer: smaller chunks are gathered into buffers of this size before each
 * `write(2)`, and a chunk at least this large is written as it is. A pack is written in pieces
 * of about 1 MiB, so they go to disk without a copy (docs/decisions/0022).
 */
export const WRITE_BUFFER_SIZE = 1024 * 1024;
const MIN_BUFFER = 64 * 1024;
/**
 * While a large object is written, an fdatasync is started in the background after every this
 * many bytes, so the disk writes back while the producer (encryption) keeps going and the final
 * fsync at close has only the tail left.
 */
export const BACKGROUND_SYNC_BYTES = 64 * 1024 * 1024;

/** Where and how {@link openLocalWritable} writes. */
export interface LocalWriteTarget {
  /** Absolute path of the final file; its directory must exist. */
  path: string;
  ifAbsent: boolean;
  signal?: AbortSignal | undefined;
  size?: number | undefined;
  /** Permission bits of the new file (before the umask). Default 0o600. */
  mode?: number | undefined;
  /** Background fdatasync interval in bytes (default {@link BACKGROUND_SYNC_BYTES}; 0 = only at close). */
  syncEvery?: number | undefined;
  /** For errors. */
  uri: string;
  key: string;
  /**
   * Hears, once the temporary file exists, a promise that settles when the write is over:
   * committed, or aborted and its temporary file removed.
   */
  onSettled?: ((settled: Promise<void>) => void) | undefined;
}

/**
 * Opens a temporary file beside `target.path` and returns a WritableStream that commits it on
 * close: data is gathered into large buffers (two, so one is written while the other fills),
 * fsynced once, then renamed over the final name (or, with `ifAbsent`, hard-linked to it, which
 * fails atomically if it exists) and the directory is fsynced. An abort, a failed write or the
 * signal removes the temporary file; nothing becomes visible.
 *
 * @example
 * ```ts
 * import { openLocalWritable } from './localWritable.ts';
 * import { mkdirSync } from 'node:fs';
 * mkdirSync('/tmp/sealstream-example', { recursive: true });
 * const w = await openLocalWritable({ path: '/tmp/sealstream-example/x', ifAbsent: false, uri: '/tmp/sealstream-example', key: 'x' });
 * await new Blob(['hello']).stream().pipeTo(w);
 * ```
 */
export async function openLocalWritable(
  target: LocalWriteTarget,
): Promise<WritableStream<Uint8Array>> {
  const { path, ifAbsent, signal, uri, key } = target;
  const dir = dirname(path);
  const tmp = join(dir, tempName(basename(path)));
  let handle: FileHandle;
  try {
    handle = await open(tmp, 'wx', target.mode ?? 0o600);
  } catch (e) {
    throw fsStorageError(e, uri, key, 'create temporary file', true);
  }
  let markSettled: () => void = () => {};
  target.onSettled?.(
    new Promise<void>((resolve) => {
      markSettled = resolve;
    }),
  );

  const firstSize = Math.min(
    WRITE_BUFFER_SIZE,
    Math.max(MIN_BUFFER, target.size ?? WRITE_BUFFER_SIZE),
  );
  let cur: Buffer | undefined;
  let other: Buffer | undefined;
  let fill = 0;
  let position = 0;
  let pending: Promise<void> | undefined;
  let current: Promise<unknown> = Promise.resolve();
  let aborted: { reason: unknown } | undefined;
  let done = false;
  let committed = false;

  const syncEvery = target.syncEvery ?? BACKGROUND_SYNC_BYTES;
  let unsynced = 0;
  let syncing: Promise<void> | undefined;
  let syncError: { error: unknown } | undefined;
  const writeAll = async (buf: Uint8Array, n: number): Promise<void> => {
    let off = 0;
    while (off < n) {
      const { bytesWritten } = await handle.write(buf, off, n - off, position);
      off += bytesWritten;
      position += bytesWritten;
    }
    unsynced += n;
    if (syncEvery > 0 && unsynced >= syncEvery && !syncing) {
      unsynced = 0;
      syncing = handle.datasync().then(
        () => {
          syncing = undefined;
        },
        (error: unknown) => {
          syncError ??= { error };
          syncing = undefined;
        },
      );
    }
  };
  const settleSync = async (): Promise<void> => {
    await syncing;
    if (syncError) throw syncError.error;
  };
  const settle = async (): Promise<void> => {
    const p = pending;
    pending = undefined;
    if (p) await p;
  };
  const flush = async (): Promise<void> => {
    if (fill === 0 || !cur) return;
    await settle(); // `other` is free again
    const full = cur;
    const n = fill;
    cur = other;
    other = full;
    fill = 0;
    pending = writeAll(full, n);
    pending.catch(() => {}); // surfaced by the next settle()
  };
  const check = (): void => {
    if (aborted) throw aborted.reason;
  };
  const cleanup = async (): Promise<void> => {
    if (done) return;
    done = true;
    signal?.removeEventListener('abort', onAbort);
    await pending?.catch(() => {});
    await syncing;
    await handle.close().catch(() => {});
    if (!committed) await unlink(tmp).catch(() => {});
    markSettled();
  };
  const guarded = <T>(doing: string, fn: () => Promise<T>): Promise<T> => {
    const run = (async () => {
      try {
        check();
        return await fn();
      } catch (e) {
        await cleanup();
        throw aborted && e === aborted.reason ? e : fsStorageError(e, uri, key, doing, true);
      }
    })();
    current = run.catch(() => {});
    return run;
  };
  let controllerRef: WritableStreamDefaultController | undefined;
  function onAbort(): void {
    if (aborted || committed) return;
    aborted = { reason: signal?.reason };
    controllerRef?.error(aborted.reason);
    void current.then(cleanup);
  }

  return new WritableStream<Uint8Array>({
    start(controller) {
      controllerRef = controller;
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    },
    write(chunk) {
      return guarded('write', async () => {
        if (!(chunk instanceof Uint8Array))
          throw new TypeError('local storage accepts only Uint8Array chunks');
        let off = 0;
        while (off < chunk.byteLength) {
          if (fill === 0 && chunk.byteLength - off >= (cur?.byteLength ?? firstSize)) {
            // A chunk at least as large as a buffer goes straight to disk (awaited: the caller owns it).
            await settle();
            await writeAll(chunk.subarray(off), chunk.byteLength - off);
            return;
          }
          cur ??= Buffer.allocUnsafe(other?.byteLength ?? firstSize);
          const n = Math.min(cur.byteLength - fill, chunk.byteLength - off);
          cur.set(chunk.subarray(off, off + n), fill);
          fill += n;
          off += n;
          if (fill === cur.byteLength) await flush();
        }
      });
    },
    close() {
      return guarded('commit', async () => {
        await flush();
        await settle();
        await settleSync();
        await handle.datasync();
        await handle.close();
        check();
        if (ifAbsent) {
          try {
            await link(tmp, path);
          } catch (e) {
            if ((e as { code?: string }).code === 'EEXIST') {
              throw new StorageError('ERR_STORAGE_EXISTS', 'object already exists (ifAbsent)', {
                driver: 'local',
                uri,
                key,
                cause: e,
              });
            }
            throw e;
          }
          committed = true;
          await unlink(tmp).catch(() => {});
        } else {
          await rename(tmp, path);
          committed = true;
        }
        done = true;
        signal?.removeEventListener('abort', onAbort);
        try {
          await syncDirectory(dir);
        } finally {
          markSettled();
        }
      });
    },
    abort(reason) {
      aborted ??= { reason };
      return current.then(cleanup);
    },
  });
}
