import { lstat, mkdir, opendir, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  type ByteRange,
  type ObjectInfo,
  type Storage,
  type StorageCapabilities,
  StorageError,
  type WriteOptions,
} from '@sealstream/storage';
import { assertKey, assertListPrefix, assertRange, compareKeys } from '@sealstream/storage/driver';
import { fsStorageError } from './fsStorageError.ts';
import { openLocalReadable } from './localReadable.ts';
import { openLocalWritable } from './localWritable.ts';
import { isTempName } from './tempName.ts';

/** Options of {@link localStorage}. */
export interface LocalStorageOptions {
  /** The URI to show in errors and `redactedUri` (default: the root path). */
  uri?: string;
  /**
   * Permission bits of the files written (default `0o600`, owner only: an
   * ENCRYPTION_INFO whose key is wrapped by a passphrase must not let other local users guess
   * offline). The process umask still applies. Widen it (e.g. `0o640`) only on purpose.
   */
  fileMode?: number;
  /** Permission bits of the directories created, the root included (default `0o700`, owner only). */
  dirMode?: number;
}

/** Default mode of the files the local driver writes: read and write for the owner only. */
export const DEFAULT_FILE_MODE = 0o600;
/** Default mode of the directories the local driver creates: the owner only. */
export const DEFAULT_DIR_MODE = 0o700;

/**
 * A {@link Storage} on a local directory. Keys map to files under `root` (`a/b` → `root/a/b`);
 * parent directories are created on write. Writes go to a temporary name in the same directory,
 * are fsynced, then renamed; create-if-absent hard-links the temporary file to the final name,
 * which is atomic. Temporary files (`.<name>.tmp-<hex>`) are never listed or read. Files are
 * created 0600 and directories 0700 unless `options` widen them.
 *
 * @param root the directory (created on first write); relative paths are resolved against the
 *   current directory
 *
 * @example
 * ```ts
 * import { localStorage } from '@sealstream/storage-local';
 * import { readObject, writeObject } from '@sealstream/storage';
 * const storage = localStorage('/tmp/sealstream-example');
 * await writeObject(storage, 'greeting/hello.txt', new TextEncoder().encode('hello'), { ifAbsent: false });
 * console.log(new TextDecoder().decode(await readObject(storage, 'greeting/hello.txt'))); // hello
 * for await (const info of storage.list('greeting/')) console.log(info.key, info.size); // greeting/hello.txt 5
 * ```
 */
export function localStorage(root: string, options: LocalStorageOptions = {}): Storage {
  if (typeof root !== 'string' || root === '')
    throw new TypeError('Cannot open local storage: root must be a non-empty path');
  const fileMode = options.fileMode ?? DEFAULT_FILE_MODE;
  const dirMode = options.dirMode ?? DEFAULT_DIR_MODE;
  for (const [name, mode] of [
    ['fileMode', fileMode],
    ['dirMode', dirMode],
  ] as const) {
    if (!Number.isInteger(mode) || mode < 0 || mode > 0o777)
      throw new RangeError(
        `Cannot open local storage as ${name} must be within 0o000–0o777: received ${mode}`,
      );
  }
  return new LocalStorage(resolve(root), options.uri ?? root, fileMode, dirMode);
}

const capabilities: StorageCapabilities = Object.freeze({ atomicCreate: true });

function assertLocalKey(key: unknown): asserts key is string {
  assertKey(key);
  for (const segment of key.split('/')) {
    if (isTempName(segment))
      throw new TypeError(
        `Invalid storage key ${JSON.stringify(key)}: "${segment}" is a reserved temporary-file name`,
      );
  }
}

class LocalStorage implements Storage {
  readonly driver = 'local';
  readonly capabilities = capabilities;
  readonly #root: string;
  readonly redactedUri: string;
  readonly #fileMode: number;
  readonly #dirMode: number;
  /** Aborted by `close`: every write in progress is abandoned (its temporary file removed). */
  readonly #closing = new AbortController();
  /** Writes in progress: each settles once committed, or abandoned and cleaned up. */
  readonly #writes = new Set<Promise<void>>();

  constructor(root: string, uri: string, fileMode: number, dirMode: number) {
    this.#root = root;
    this.redactedUri = uri;
    this.#fileMode = fileMode;
    this.#dirMode = dirMode;
  }

  #path(key: string): string {
    return join(this.#root, ...key.split('/'));
  }

  async write(key: string, options: WriteOptions = {}): Promise<WritableStream<Uint8Array>> {
    assertLocalKey(key);
    if (options.signal?.aborted) throw options.signal.reason;
    if (this.#closing.signal.aborted) throw this.#closing.signal.reason;
    // Until its temporary file exists (and is tracked on its own), `close` waits for this call.
    let opened: () => void = () => {};
    const opening = new Promise<void>((resolve) => {
      opened = resolve;
    });
    this.#writes.add(opening);
    try {
      return await this.#open(key, options);
    } finally {
      this.#writes.delete(opening);
      opened();
    }
  }

  async #open(key: string, options: WriteOptions): Promise<WritableStream<Uint8Array>> {
    const signal =
      options.signal === undefined
        ? this.#closing.signal
        : AbortSignal.any([options.signal, this.#closing.signal]);
    const path = this.#path(key);
    const dir = join(path, '..');
    try {
      await mkdir(dir, { recursive: true, mode: this.#dirMode });
    } catch (e) {
      throw fsStorageError(e, this.redactedUri, key, 'create directory', true);
    }
    if (options.ifAbsent) {
      // Fail fast; the commit's link() is what makes it atomic.
      const exists = await lstat(path).then(
        () => true,
        () => false,
      );
      if (exists)
        throw new StorageError('ERR_STORAGE_EXISTS', 'object already exists (ifAbsent)', {
          driver: this.driver,
          uri: this.redactedUri,
          key,
        });
    }
    return openLocalWritable({
      path,
      ifAbsent: options.ifAbsent === true,
      signal,
      onSettled: (settled) => {
        this.#writes.add(settled);
        void settled.then(() => this.#writes.delete(settled));
      },
      size: options.size,
      mode: this.#fileMode,
      uri: this.redactedUri,
      key,
    });
  }

  /**
   * Abandons every write still in progress — nothing of it becomes visible, and its temporary
   * file is removed before this resolves — and refuses writes from then on
   * (`ERR_STORAGE_UNAVAILABLE`). A write already committed stays. The CLI closes its storages
   * when it ends, and on SIGINT or SIGTERM, so an interrupted backup leaves no temporary file.
   */
  async close(): Promise<void> {
    if (!this.#closing.signal.aborted)
      this.#closing.abort(
        new StorageError('ERR_STORAGE_UNAVAILABLE', 'the storage was closed', {
          driver: this.driver,
          uri: this.redactedUri,
        }),
      );
    while (this.#writes.size > 0) await Promise.allSettled([...this.#writes]);
  }

  async read(key: string, range?: ByteRange): Promise<ReadableStream<Uint8Array>> {
    assertLocalKey(key);
    assertRange(range);
    return openLocalReadable(this.#path(key), range, this.redactedUri, key);
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    assertLocalKey(key);
    try {
      const st = await stat(this.#path(key));
      return st.isFile() ? { key, size: st.size, mtime: st.mtimeMs } : undefined;
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw fsStorageError(e, this.redactedUri, key, 'stat');
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    assertListPrefix(prefix);
    const slash = prefix.lastIndexOf('/');
    const dirKey = slash >= 0 ? prefix.slice(0, slash) : '';
    const namePrefix = prefix.slice(slash + 1);
    yield* this.#walk(dirKey, namePrefix);
  }

  async *#walk(dirKey: string, namePrefix: string): AsyncGenerator<ObjectInfo> {
    const dirPath = dirKey === '' ? this.#root : this.#path(dirKey);
    const entries: { name: string; sortKey: string; dir: boolean }[] = [];
    try {
      for await (const entry of await opendir(dirPath)) {
        if (!entry.name.startsWith(namePrefix) || isTempName(entry.name)) continue;
        const dir = entry.isDirectory();
        if (!dir && !entry.isFile()) continue; // symlinks, sockets, …: not objects
        entries.push({ name: entry.name, sortKey: dir ? `${entry.name}/` : entry.name, dir });
      }
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return;
      throw fsStorageError(e, this.redactedUri, undefined, `list ${dirKey || '(root)'}`);
    }
    entries.sort((a, b) => compareKeys(a.sortKey, b.sortKey));
    for (const entry of entries) {
      const key = dirKey === '' ? entry.name : `${dirKey}/${entry.name}`;
      if (entry.dir) {
        yield* this.#walk(key, '');
        continue;
      }
      try {
        const st = await stat(this.#path(key));
        yield { key, size: st.size, mtime: st.mtimeMs };
      } catch (e) {
        if ((e as { code?: string }).code === 'ENOENT') continue; // deleted meanwhile
        throw fsStorageError(e, this.redactedUri, key, 'list');
      }
    }
  }

  async delete(key: string): Promise<void> {
    assertLocalKey(key);
    try {
      await unlink(this.#path(key));
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return;
      throw fsStorageError(e, this.redactedUri, key, 'delete');
    }
  }
}
