import { GearChunker, type GearChunkerOptions } from './GearChunker.ts';

/**
 * Splits a byte stream into keyed content-defined chunks ({@link GearChunker}, specified in
 * docs/CHUNKING.md): one output `Uint8Array` per chunk, at most `max` bytes each, every one but
 * the last longer than `min`. The chunks are the same however the input is split into pieces
 * (byte by byte, at random, or one buffer), and an empty input gives no chunk.
 *
 * Memory: the bytes of one unfinished chunk (at most `max`). Chunks are taken over, not copied:
 * a chunk that lies within one input piece is a view of it, and bytes are copied only to join a
 * chunk that straddles pieces; a producer must not reuse a buffer after enqueueing it.
 *
 * @param key - the 32-byte chunker key (derive it from a secret root key with its own label).
 * @param options - chunk sizes; default min 512 KiB, avg 1 MiB, max 8 MiB.
 * @throws RangeError from the constructor when the key or a size is not acceptable.
 *
 * @example
 * ```ts
 * import { cdcChunker, fromBytes } from '@sealstream/streams';
 * const key = crypto.getRandomValues(new Uint8Array(32));
 * const data = crypto.getRandomValues(new Uint8Array(60_000));
 * const sizes: number[] = [];
 * await fromBytes(data, 4096)
 *   .pipeThrough(cdcChunker(key, { min: 1024, avg: 4096, max: 16384 }))
 *   .pipeTo(new WritableStream({ write: (chunk) => void sizes.push(chunk.length) }));
 * console.assert(sizes.reduce((a, b) => a + b, 0) === data.length);
 * console.assert(sizes.every((n, k) => n <= 16384 && (n > 1024 || k === sizes.length - 1)));
 * ```
 */
export function cdcChunker(
  key: Uint8Array,
  options: GearChunkerOptions = {},
): TransformStream<Uint8Array, Uint8Array> {
  const chunker = new GearChunker(key, options);
  let pending: Uint8Array[] = [];
  let pendingLength = 0;

  const emit = (controller: TransformStreamDefaultController<Uint8Array>): void => {
    if (pending.length === 1) {
      controller.enqueue(pending[0] as Uint8Array);
    } else {
      const out = new Uint8Array(pendingLength);
      let o = 0;
      for (const p of pending) {
        out.set(p, o);
        o += p.length;
      }
      controller.enqueue(out);
    }
    pending = [];
    pendingLength = 0;
  };

  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      if (!(chunk instanceof Uint8Array)) {
        throw new TypeError('cdcChunker: every chunk must be a Uint8Array');
      }
      let offset = 0;
      while (offset < chunk.length) {
        const cut = chunker.scan(chunk, offset);
        const end = cut < 0 ? chunk.length : cut;
        pending.push(chunk.subarray(offset, end));
        pendingLength += end - offset;
        offset = end;
        if (cut >= 0) emit(controller);
      }
    },
    flush(controller) {
      if (pendingLength > 0) emit(controller);
      chunker.reset();
    },
  });
}
