import type { GearChunkerOptions } from '@sealstream/streams';
import type { CutChunk } from './StreamCuts.ts';

/** What a {@link ChunkCutter} cuts and names a chain's streams with. */
export interface CutterKeys {
  /** The chain's chunker key (it keys the gear table). */
  chunker: Uint8Array;
  /** The chain's chunk-id key: a chunk's id is HMAC-SHA256 under it of the chunk's bytes. */
  chunkId: Uint8Array;
  /** Chunk sizes (default those of `GearChunker`). */
  options?: GearChunkerOptions;
}

/** A chunk cut and named by a {@link ChunkCutter}. */
export interface NamedChunk extends CutChunk {
  /** HMAC-SHA256 of the chunk's bytes under the chain's chunk-id key: 32 bytes. */
  id: Uint8Array;
}

/**
 * Cuts streams into the chunk store's chunks and names them somewhere else than the calling
 * thread (`chunkCutterThread` of `@sealstream/fs` does it on a worker thread), so that a backup of
 * large files cuts and hashes on one core while the calling thread packs, seals and writes.
 * It must give exactly the chunks `StreamCuts` gives and the ids `blobIdHasher(keys.chunkId)`
 * gives: a chunk store with or without one stores the same chunks.
 *
 * @example
 * ```ts
 * import type { ChunkCutter } from '@sealstream/backup';
 * const nothing: ChunkCutter = { cut: async function* () {} };
 * console.log(typeof nothing.cut); // function
 * ```
 */
export interface ChunkCutter {
  /**
   * The chunks of `stream` with their ids, in order. Each chunk's bytes are the receiver's to
   * keep (a roomy one in a buffer of its own). Ending the iteration early cancels the stream; a
   * failure of the stream is the iteration's failure.
   */
  cut(stream: ReadableStream<Uint8Array>, keys: CutterKeys): AsyncIterable<NamedChunk>;
}
