/**
 * @module @sealstream/storage-local/fd — the driver's file reader for other Node code: a web
 * `ReadableStream` of a file read with positional reads from a plain descriptor (the CLI's file
 * source for backups reads files with it).
 */
export {
  type FdReadableOptions,
  fdReadable,
  READ_CHUNK_SIZE,
  WHOLE_RANGE_MAX,
} from './fdReadable.ts';
