/** @module @sealstream/streams — byte-stream building blocks. */
export { isSealstreamError, SealstreamError } from './SealstreamError.ts';
