/**
 * The interface every storage driver implements (local disk, S3, GCS, Azure Blob).
 *
 * Keys are `/`-separated relative paths (no leading `/`, no `..`). A driver is rooted at the
 * prefix of its URI.
 *
 * Contract (checked by the shared conformance suite):
 * - `write` returns a WritableStream; the object becomes visible only when the stream closes
 *   successfully. An aborted or failed write leaves nothing visible (multipart uploads are
 *   aborted, temp files removed).
 * - With `{ ifAbsent: true }` the write fails with `SealstreamError` code `ERR_STORAGE_EXISTS`
 *   when the key exists (atomically where the backend can; see {@link StorageCapabilities}).
 * - `read` of a missing key fails with code `ERR_STORAGE_NOT_FOUND`; a range past the end is
 *   clamped to the object's size.
 * - `list(prefix)` yields every key that starts with `prefix`, in lexicographic order.
 * - Errors carry the driver name, a redacted URI and the cause; never a credential.
 *
 * @example
 * ```ts
 * import { memoryStorage, type Storage } from '@sealstream/storage';
 * const storage: Storage = memoryStorage();
 * await new Blob(['hello']).stream().pipeTo(await storage.write('greeting', { ifAbsent: true }));
 * console.log((await storage.stat('greeting'))?.size); // 5
 * const text = await new Response(await storage.read('greeting', { start: 1, end: 3 })).text();
 * console.log(text); // el
 * ```
 */
export interface Storage {
  /** Driver name, e.g. `local`, `s3`. */
  readonly driver: string;
  /** The URI with secrets redacted. */
  readonly redactedUri: string;
  readonly capabilities: StorageCapabilities;
  write(key: string, options?: WriteOptions): Promise<WritableStream<Uint8Array>>;
  read(key: string, range?: ByteRange): Promise<ReadableStream<Uint8Array>>;
  stat(key: string): Promise<ObjectInfo | undefined>;
  list(prefix: string): AsyncIterable<ObjectInfo>;
  delete(key: string): Promise<void>;
  /** Releases clients and sockets. */
  close?(): Promise<void>;
}

export interface WriteOptions {
  /** Fail with `ERR_STORAGE_EXISTS` if the key exists. */
  ifAbsent?: boolean;
  /** Size hint in bytes, when known (lets drivers pick part sizes). */
  size?: number;
  signal?: AbortSignal;
}

/** Plaintext half-open byte range `[start, end)`; `end` omitted = to the end. */
export interface ByteRange {
  start: number;
  end?: number;
}

export interface ObjectInfo {
  key: string;
  size: number;
  /** Last modification time in ms since the epoch, when known. */
  mtime?: number;
}

/**
 * What a backend can do. A missing capability is a flag with its reason, never a surprise:
 * the conformance suite prints the reason when it does not run the corresponding check.
 */
export interface StorageCapabilities {
  /** `ifAbsent` is atomic for every write (true) or only for single-request writes. */
  atomicCreate: boolean | 'single-put';
  /** Why a capability is missing, keyed by capability name. */
  reasons?: Record<string, string>;
}

/** Makes a driver for a URI; registered per scheme in the storage registry. */
export type StorageFactory = (uri: URL) => Storage | Promise<Storage>;
