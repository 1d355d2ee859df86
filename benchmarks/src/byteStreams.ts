import { randomFillSync } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { fromBytes } from '@sealstream/streams';

/** The chunk size of every source, like a file read: 64 KiB. */
export const CHUNK = 64 * 1024;

/** `input` as a web stream of 64 KiB views, pulled: the source costs no copy. */
export function webSource(input: Uint8Array): ReadableStream<Uint8Array> {
  return fromBytes(input, CHUNK);
}

/** The same 64 KiB views as a Node.js Readable of Buffers, for the Node-stream peers. */
export function nodeSource(input: Uint8Array): Readable {
  return Readable.from(
    (function* () {
      for (let o = 0; o < input.length; o += CHUNK)
        yield Buffer.from(input.buffer, input.byteOffset + o, Math.min(CHUNK, input.length - o));
    })(),
  );
}

/** A sink that counts the bytes it is given and drops them, as a web or a Node.js stream. */
export function discardSink(): { writable: WritableStream; node(): Writable; bytes(): number } {
  let bytes = 0;
  return {
    writable: new WritableStream<Uint8Array>({
      write(c) {
        bytes += c.length;
      },
    }),
    node: () =>
      new Writable({
        write(c: Buffer, _encoding, done) {
          bytes += c.length;
          done();
        },
      }),
    bytes: () => bytes,
  };
}

/** Pipes `stream` into a discarding sink; returns the bytes it carried. */
export async function drain(stream: ReadableStream<Uint8Array>): Promise<number> {
  const sink = discardSink();
  await stream.pipeTo(sink.writable);
  return sink.bytes();
}

const inputs = new Map<number, Uint8Array>();

/** `bytes` random bytes, made once per size and process, so every contender times the same bytes. */
export function randomInput(bytes: number): Uint8Array {
  let input = inputs.get(bytes);
  if (!input) {
    input = new Uint8Array(bytes);
    for (let o = 0; o < bytes; o += 1 << 30) randomFillSync(input, o, Math.min(1 << 30, bytes - o));
    inputs.set(bytes, input);
  }
  return input;
}
