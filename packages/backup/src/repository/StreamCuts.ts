import type { GearChunker } from '@sealstream/streams';

/**
 * A chunk at least this long is joined from its pieces into a buffer of its own, with a byte
 * free in front for its codec byte (its pack adopts it when it is stored raw); a shorter one (a
 * stream's last chunk) may be a view of a piece.
 */
export const ADOPT_FROM = 64 * 1024;

/** A chunk cut by {@link StreamCuts}. */
export interface CutChunk {
  /** The chunk's bytes. */
  bytes: Uint8Array;
  /**
   * Whether `bytes` has a buffer of its own whose byte before `bytes` is free (for the codec
   * byte): true for every chunk of {@link ADOPT_FROM} bytes or more.
   */
  roomy: boolean;
}

/**
 * Cuts one stream into the chunk store's chunks, piece by piece, synchronously: the chunks of
 * `cdcChunker` with the chain's chunker key, where a stream of at most `min` bytes (a small
 * file) is one chunk without any chunker work. The chunk store reads the stream; this cuts it.
 *
 * @example
 * ```ts
 * import { GearChunker } from '@sealstream/streams';
 * import { StreamCuts } from './StreamCuts.ts';
 * const chunker = new GearChunker(new Uint8Array(32), { min: 4096, avg: 8192, max: 65536 });
 * const cuts = new StreamCuts(() => chunker, chunker.min);
 * const chunks = [...cuts.push(new Uint8Array(100_000)), ...cuts.end()];
 * console.log(chunks.reduce((n, c) => n + c.bytes.length, 0)); // 100000
 * ```
 */
export class StreamCuts {
  readonly #newChunker: () => GearChunker;
  readonly #min: number;
  /** The chunker, taken once the stream is longer than `min`. */
  #chunker: GearChunker | undefined;
  #pending: Uint8Array[] = [];
  #pendingLength = 0;

  /**
   * @param newChunker - gives a `GearChunker` (new or reset) with the chain's chunker key, taken
   *   only for a stream longer than `min`;
   * @param min - its chunks' least size.
   */
  constructor(newChunker: () => GearChunker, min: number) {
    this.#newChunker = newChunker;
    this.#min = min;
  }

  /** Ends the cutting early or late: the chunker taken, reset for another stream, if any. */
  release(): GearChunker | undefined {
    const chunker = this.#chunker;
    chunker?.reset();
    this.#chunker = undefined;
    this.#pending = [];
    this.#pendingLength = 0;
    return chunker;
  }

  /** Takes the stream's next piece (kept, not copied, until its chunk is joined); returns the chunks it completed. */
  push(piece: Uint8Array): CutChunk[] {
    const out: CutChunk[] = [];
    if (this.#chunker !== undefined) {
      this.#feed(piece, this.#chunker, out);
      return out;
    }
    // No cut falls within a chunk's first `min` bytes: hold pieces until there are more.
    this.#pending.push(piece);
    this.#pendingLength += piece.length;
    if (this.#pendingLength <= this.#min) return out;
    const chunker = this.#newChunker();
    this.#chunker = chunker;
    const held = this.#pending;
    this.#pending = [];
    this.#pendingLength = 0;
    for (const p of held) this.#feed(p, chunker, out);
    return out;
  }

  /** Ends the stream: its last chunk, if any bytes are left. */
  end(): CutChunk[] {
    return this.#pendingLength > 0 ? [this.#join()] : [];
  }

  #feed(piece: Uint8Array, chunker: GearChunker, out: CutChunk[]): void {
    let offset = 0;
    while (offset < piece.length) {
      const cut = chunker.scan(piece, offset);
      const end = cut < 0 ? piece.length : cut;
      this.#pending.push(piece.subarray(offset, end));
      this.#pendingLength += end - offset;
      offset = end;
      if (cut >= 0) out.push(this.#join());
    }
  }

  #join(): CutChunk {
    const pending = this.#pending;
    const length = this.#pendingLength;
    this.#pending = [];
    this.#pendingLength = 0;
    if (pending.length === 1 && length < ADOPT_FROM)
      return { bytes: pending[0] as Uint8Array, roomy: false };
    const buffer = new Uint8Array(1 + length);
    let o = 1;
    for (const p of pending) {
      buffer.set(p, o);
      o += p.length;
    }
    return { bytes: buffer.subarray(1), roomy: true };
  }
}
