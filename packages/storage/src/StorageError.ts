import { SealstreamError } from '@sealstream/streams';
import { redactStorageUri } from './redactStorageUri.ts';

/** The stable codes a {@link StorageError} carries; see docs/ERRORS.md. */
export type StorageErrorCode =
  | 'ERR_STORAGE_NOT_FOUND'
  | 'ERR_STORAGE_EXISTS'
  | 'ERR_STORAGE_BAD_URI'
  | 'ERR_STORAGE_UNAVAILABLE'
  | 'ERR_STORAGE_ACCESS_DENIED'
  | 'ERR_STORAGE_IO'
  | 'ERR_STORAGE_TOO_LARGE';

/** Every {@link StorageErrorCode}, for iteration and validation. */
export const STORAGE_ERROR_CODES: readonly StorageErrorCode[] = [
  'ERR_STORAGE_NOT_FOUND',
  'ERR_STORAGE_EXISTS',
  'ERR_STORAGE_BAD_URI',
  'ERR_STORAGE_UNAVAILABLE',
  'ERR_STORAGE_ACCESS_DENIED',
  'ERR_STORAGE_IO',
  'ERR_STORAGE_TOO_LARGE',
];

/** Where a {@link StorageError} happened. */
export interface StorageErrorContext {
  /** Driver name, e.g. `local`, `s3`; `registry` for URI parsing errors. */
  driver: string;
  /** The storage URI (or path). It is redacted again here, so a raw URI never leaks. */
  uri: string;
  /** The object key concerned, when there is one. */
  key?: string;
  /** The underlying error (an SDK or `node:fs` error). */
  cause?: unknown;
}

/**
 * A storage failure callers can branch on by {@link StorageError.code}. It names the driver, the
 * redacted URI and the key; the message never contains a credential.
 *
 * @example
 * ```ts
 * import { StorageError } from '@sealstream/storage';
 * const e = new StorageError('ERR_STORAGE_NOT_FOUND', 'object not found', {
 *   driver: 's3',
 *   uri: 's3://bucket/backups?AWS_SECRET_ACCESS_KEY=hunter2',
 *   key: 'LATEST',
 * });
 * console.log(e.code, e.uri); // ERR_STORAGE_NOT_FOUND s3://bucket/backups?AWS_SECRET_ACCESS_KEY=redacted
 * console.log(e.message.includes('hunter2')); // false
 * ```
 */
export class StorageError extends SealstreamError {
  declare readonly code: StorageErrorCode;
  /** Driver name. */
  readonly driver: string;
  /** The redacted storage URI. */
  readonly uri: string;
  /** The object key concerned, if any. */
  readonly key: string | undefined;

  constructor(code: StorageErrorCode, message: string, context: StorageErrorContext) {
    const uri = redactStorageUri(context.uri);
    const where = context.key === undefined ? uri : `${uri} key "${context.key}"`;
    super(code, `${context.driver} storage ${where}: ${message}`, { cause: context.cause });
    this.driver = context.driver;
    this.uri = uri;
    this.key = context.key;
  }
}
