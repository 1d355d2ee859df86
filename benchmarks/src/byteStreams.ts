import { Readable, Writable } from 'node:stream';

/** The chunk size of every benchmark source, like a file read: 64 KiB. */
export const SOURCE_CHUNK = 64 * 1024;

/**
 * A web ReadableStream over `input` in `chunkSize` chunks. Chunks are zero-copy views (plain
 * `Uint8Array`, not `Buffer`) of `input`, handed out on demand (`pull`, default high-water mark of
 * one chunk), so the source costs no copy: what is measured is the pipeline behind it.
 *
 * @example
 * ```ts
 * import { discardSink, webSource } from './byteStreams.ts';
 * const sink = discardSink();
 * await webSource(new Uint8Array(200_000)).pipeTo(sink.writable);
 * console.assert(sink.bytes() === 200_000 && sink.chunks() === 4);
 * ```
 */
export function webSource(input: Uint8Array, chunkSize = SOURCE_CHUNK): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= input.byteLength) {
        controller.close();
        return;
      }
      const end = Math.min(offset + chunkSize, input.byteLength);
      controller.enqueue(new Uint8Array(input.buffer, input.byteOffset + offset, end - offset));
      offset = end;
    },
  });
}

/** The same chunks as {@link webSource}, as a Node.js Readable of `Buffer` views, for Node-stream peers. */
export function nodeSource(input: Uint8Array, chunkSize = SOURCE_CHUNK): Readable {
  function* chunks() {
    for (let offset = 0; offset < input.byteLength; offset += chunkSize) {
      const end = Math.min(offset + chunkSize, input.byteLength);
      yield Buffer.from(input.buffer, input.byteOffset + offset, end - offset);
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}

/** A sink that counts and drops what it is given. */
export interface DiscardSink {
  readonly writable: WritableStream<Uint8Array>;
  /** A Node.js Writable sharing the same counters, for Node-stream peers. */
  readonly nodeWritable: () => Writable;
  bytes(): number;
  chunks(): number;
}

/**
 * A sink that drops every chunk after counting it (the discarding end of every pipeline).
 *
 * @example
 * ```ts
 * import { discardSink } from './byteStreams.ts';
 * const sink = discardSink();
 * const w = sink.writable.getWriter();
 * await w.write(new Uint8Array(3));
 * await w.close();
 * console.assert(sink.bytes() === 3);
 * ```
 */
export function discardSink(): DiscardSink {
  let bytes = 0;
  let chunks = 0;
  return {
    writable: new WritableStream<Uint8Array>({
      write(chunk) {
        bytes += chunk.byteLength;
        chunks++;
      },
    }),
    nodeWritable: () =>
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          bytes += chunk.byteLength;
          chunks++;
          callback();
        },
      }),
    bytes: () => bytes,
    chunks: () => chunks,
  };
}

/**
 * A sink that checks, chunk by chunk, that what it receives equals `expected`, and fails the
 * stream at the first difference or on a wrong total length. Used for untimed correctness
 * checks before timing a decryptor.
 *
 * @example
 * ```ts
 * import { verifyingSink, webSource } from './byteStreams.ts';
 * const data = new Uint8Array([1, 2, 3]);
 * await webSource(data, 2).pipeTo(verifyingSink(data));
 * ```
 */
export function verifyingSink(expected: Uint8Array): WritableStream<Uint8Array> {
  let offset = 0;
  return new WritableStream<Uint8Array>({
    write(chunk) {
      const want = expected.subarray(offset, offset + chunk.byteLength);
      if (want.byteLength !== chunk.byteLength || Buffer.compare(want, chunk) !== 0) {
        throw new Error(
          `Output differs from the expected bytes within [${offset}, ${offset + chunk.byteLength})`,
        );
      }
      offset += chunk.byteLength;
    },
    close() {
      if (offset !== expected.byteLength) {
        throw new Error(`Output has ${offset} bytes, expected ${expected.byteLength}`);
      }
    },
  });
}

/**
 * Collects a stream into one contiguous `Uint8Array` (used once per case to prepare ciphertext
 * inputs for the decryption benchmarks, never inside a timed run).
 */
export async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    total += value.byteLength;
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}
