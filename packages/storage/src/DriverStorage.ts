import { assertKey, assertListPrefix } from './assertKey.ts';
import { assertRange } from './assertRange.ts';
import { emptyRead } from './emptyRead.ts';
import { type DriverFailure, httpStorageError } from './httpStorageError.ts';
import { joinKey } from './joinKey.ts';
import { redactStorageUri } from './redactStorageUri.ts';
import type {
  ByteRange,
  ObjectInfo,
  Storage,
  StorageCapabilities,
  WriteOptions,
} from './Storage.ts';
import { StorageError } from './StorageError.ts';

/** One call into a {@link StorageDriver}: the caller's key and what to do with a failure. */
export interface DriverCall {
  /** The key as the caller gave it (already checked). */
  readonly key: string;
  /**
   * Turns a failure of this call into the driver's typed error (through the driver's
   * `describeError`); a `StorageError` passes as is. Give it to `uploadSink` and `nodeSource`.
   */
  readonly fail: (error: unknown) => StorageError;
  /** The guarded storage, e.g. to `stat` the key before writing. */
  readonly storage: Storage;
}

/**
 * A storage backend as its SDK calls. Every name it receives is the full object name (the root
 * prefix joined); {@link DriverStorage} does the rest. A method throws the SDK's own error: the
 * wrapper classifies it.
 */
export interface StorageDriver {
  /** Driver name (`Storage.driver`, and in every error). */
  readonly name: string;
  /** The storage URI as given. Only ever shown redacted. */
  readonly uri: string;
  /** The root prefix inside the bucket or container, without leading or trailing `/` (may be `''`). */
  readonly prefix: string;
  readonly capabilities: StorageCapabilities;
  /** Reads a failed SDK call: its HTTP status, connection code, and what its error names mean. */
  describeError(error: unknown): DriverFailure;
  /** A `WritableStream` that commits `name` on close (usually `uploadSink(start, call.fail, options.signal)`). */
  write(name: string, options: WriteOptions, call: DriverCall): Promise<WritableStream<Uint8Array>>;
  /**
   * Bytes `[start, end)` of `name` (`end` undefined: to the end). Never called for an empty range;
   * `end` may lie past the size. A 416 answer (`start` at or past the end) becomes an empty read.
   */
  read(
    name: string,
    start: number,
    end: number | undefined,
    call: DriverCall,
  ): Promise<ReadableStream<Uint8Array>>;
  /** Size and modification time of `name`. A failure classified as a missing object means `undefined`. */
  stat(name: string): Promise<Omit<ObjectInfo, 'key'>>;
  /** Every object whose full name starts with `prefix`, by name in UTF-8 byte order, with full names. */
  list(prefix: string): AsyncIterable<ObjectInfo>;
  /** Deletes `name`; a missing object is not an error. */
  delete(name: string): Promise<void>;
  /** Releases clients and sockets. */
  close?(): Promise<void>;
}

/**
 * The {@link Storage} a {@link StorageDriver} makes: it does the door work of every method once,
 * so a driver is its SDK calls. Keys, list prefixes and ranges are checked (`TypeError`,
 * `RangeError`) and joined under the root prefix; listed names lose it again. An empty range, or
 * a 416 answer, is an empty read of an existing object (`ERR_STORAGE_NOT_FOUND` for a missing
 * one). Every failure becomes a `StorageError` through {@link httpStorageError}, naming the
 * operation, the key and the redacted URI; `stat` answers `undefined` for a missing object (but
 * not for a missing bucket or container, whose `describeError` gives `notFound` a message).
 * Cloud drivers wrap their driver in it: `s3Storage(uri)` returns `new DriverStorage(s3Driver(…))`.
 *
 * @example
 * ```ts
 * import { DriverStorage } from '@sealstream/storage/driver';
 * const objects = new Map<string, Uint8Array>();
 * const missing = () => Object.assign(new Error('no such object'), { status: 404 });
 * const storage = new DriverStorage({
 *   name: 'toy',
 *   uri: 'toy://bucket/root',
 *   prefix: 'root',
 *   capabilities: { atomicCreate: false, reasons: { atomicCreate: 'a toy' } },
 *   describeError: (e) => ({ status: (e as { status?: number }).status }),
 *   async write(name) {
 *     const chunks: Uint8Array[] = [];
 *     return new WritableStream({
 *       write: (c) => void chunks.push(c),
 *       close: async () => void objects.set(name, new Uint8Array(await new Blob(chunks).arrayBuffer())),
 *     });
 *   },
 *   async read(name, start, end) {
 *     const data = objects.get(name);
 *     if (!data) throw missing();
 *     return new Blob([data.slice(start, end)]).stream();
 *   },
 *   async stat(name) {
 *     const data = objects.get(name);
 *     if (!data) throw missing();
 *     return { size: data.byteLength };
 *   },
 *   async *list(prefix) {
 *     for (const [key, data] of [...objects].sort(([a], [b]) => (a < b ? -1 : 1)))
 *       if (key.startsWith(prefix)) yield { key, size: data.byteLength };
 *   },
 *   async delete(name) {
 *     objects.delete(name);
 *   },
 * });
 * await new Blob(['hello']).stream().pipeTo(await storage.write('a/b'));
 * console.log([...objects.keys()], await storage.stat('a/b'), await storage.stat('nope')); // ['root/a/b'] { key: 'a/b', size: 5 } undefined
 * ```
 */
export class DriverStorage implements Storage {
  readonly driver: string;
  readonly redactedUri: string;
  readonly capabilities: StorageCapabilities;
  readonly #driver: StorageDriver;

  constructor(driver: StorageDriver) {
    this.#driver = driver;
    this.driver = driver.name;
    this.redactedUri = redactStorageUri(driver.uri);
    this.capabilities = driver.capabilities;
  }

  async write(key: string, options: WriteOptions = {}): Promise<WritableStream<Uint8Array>> {
    assertKey(key);
    return this.#driver.write(this.#name(key), options, this.#call(key, 'write'));
  }

  async read(key: string, range?: ByteRange): Promise<ReadableStream<Uint8Array>> {
    assertKey(key);
    assertRange(range);
    const start = range?.start ?? 0;
    const end = range?.end;
    if (end === start) return emptyRead(this, key, this.#driver.uri);
    const call = this.#call(key, 'read');
    try {
      return await this.#driver.read(this.#name(key), start, end, call);
    } catch (error) {
      // 416: the range starts at or past the end; the contract clamps it to an empty read.
      if (!(error instanceof StorageError) && this.#driver.describeError(error).status === 416)
        return emptyRead(this, key, this.#driver.uri);
      throw call.fail(error);
    }
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    assertKey(key);
    try {
      return { key, ...(await this.#driver.stat(this.#name(key))) };
    } catch (error) {
      const typed = this.#fail(key, 'stat')(error);
      const notFound =
        error instanceof StorageError ? undefined : this.#driver.describeError(error).notFound;
      // A missing bucket or container is an error, a missing object an answer.
      if (typed.code === 'ERR_STORAGE_NOT_FOUND' && typeof notFound !== 'string') return undefined;
      throw typed;
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    assertListPrefix(prefix);
    const fail = this.#fail(undefined, `list "${prefix}"`);
    const root = this.#driver.prefix === '' ? 0 : this.#driver.prefix.length + 1;
    const objects = this.#driver.list(this.#name(prefix))[Symbol.asyncIterator]();
    let done = false;
    try {
      while (true) {
        let next: IteratorResult<ObjectInfo>;
        try {
          next = await objects.next();
        } catch (error) {
          done = true;
          throw fail(error);
        }
        if (next.done) {
          done = true;
          return;
        }
        yield { ...next.value, key: next.value.key.slice(root) };
      }
    } finally {
      // The caller stopped early: let the driver's listing end too.
      if (!done) await objects.return?.();
    }
  }

  async delete(key: string): Promise<void> {
    assertKey(key);
    try {
      await this.#driver.delete(this.#name(key));
    } catch (error) {
      throw this.#fail(key, 'delete')(error);
    }
  }

  async close(): Promise<void> {
    await this.#driver.close?.();
  }

  #name(key: string): string {
    return joinKey(this.#driver.prefix, key);
  }

  #call(key: string, op: string): DriverCall {
    return { key, fail: this.#fail(key, op), storage: this };
  }

  #fail(key: string | undefined, op: string): (error: unknown) => StorageError {
    const { name, uri } = this.#driver;
    return (error) =>
      error instanceof StorageError
        ? error
        : httpStorageError(
            { ...this.#driver.describeError(error), driver: name, uri, key, op },
            error,
          );
  }
}
