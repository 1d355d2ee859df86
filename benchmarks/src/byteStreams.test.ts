import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  collect,
  discardSink,
  nodeSource,
  SOURCE_CHUNK,
  verifyingSink,
  webSource,
} from './byteStreams.ts';

describe('byte streams', () => {
  const input = new Uint8Array(randomBytes(3 * SOURCE_CHUNK + 5));

  it('webSource hands out 64 KiB views of the input, and collect puts them back', async () => {
    const chunks: Uint8Array[] = [];
    await webSource(input).pipeTo(new WritableStream({ write: (c) => void chunks.push(c) }));
    expect(chunks.map((c) => c.byteLength)).toEqual([SOURCE_CHUNK, SOURCE_CHUNK, SOURCE_CHUNK, 5]);
    expect(chunks.every((c) => c.buffer === input.buffer && !Buffer.isBuffer(c))).toBe(true);
    expect(await collect(webSource(input))).toEqual(input);
  });

  it('nodeSource gives the same bytes as Buffers, and discardSink counts both kinds', async () => {
    const sink = discardSink();
    const { pipeline } = await import('node:stream/promises');
    await pipeline(nodeSource(input), sink.nodeWritable());
    await webSource(input).pipeTo(sink.writable);
    expect(sink.bytes()).toBe(2 * input.byteLength);
    expect(sink.chunks()).toBe(8);
  });

  it('verifyingSink accepts the same bytes and rejects a flipped byte or a short stream', async () => {
    await webSource(input, 1000).pipeTo(verifyingSink(input));
    const flipped = input.slice();
    flipped[70_000] = (flipped[70_000] as number) ^ 1;
    await expect(webSource(flipped).pipeTo(verifyingSink(input))).rejects.toThrow(
      /\[65536, 131072\)/,
    );
    await expect(webSource(input.subarray(1)).pipeTo(verifyingSink(input))).rejects.toThrow(
      /differs|bytes/,
    );
    await expect(webSource(input.subarray(0, 10)).pipeTo(verifyingSink(input))).rejects.toThrow(
      /has 10 bytes/,
    );
  });
});
