import { describe, expect, it } from 'vitest';
import type { AeadEngine, EngineName } from './AeadEngine.ts';
import { decryptStream, encrypt, encryptStream } from './index.ts';
import { workerEngine } from './testing/engines.node.ts';
import { pattern } from './testing/helpers.ts';
import './index.node.ts';

const key = pattern(32, 21);

/** A counting source of `total` bytes in `chunk`-byte pieces (pull-based, high-water mark 0). */
function countingSource(bytes: Uint8Array, chunk: number) {
  const state = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(c) {
        if (state.pulled >= bytes.length) return c.close();
        const end = Math.min(bytes.length, state.pulled + chunk);
        c.enqueue(bytes.slice(state.pulled, end));
        state.pulled = end;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
}

const settle = () => new Promise((r) => setTimeout(r, 50));

describe.each<[string, AeadEngine | EngineName]>([
  ['node', 'node'],
  ['webcrypto', 'webcrypto'],
  ['node workers', workerEngine],
])('backpressure (%s engine)', (_label, engine) => {
  const segmentSize = 1024;
  const inFlight = 2;
  // What may legitimately be buffered: the segment being filled, the segments in flight, and a
  // few chunks in the streams' own queues.
  const bound = (inFlight + 2) * (segmentSize + 16) + 4 * 256;

  it('encryptStream reads no further ahead than its buffers while the consumer waits', async () => {
    const { stream, state } = countingSource(pattern(1 << 20, 1), 256);
    const reader = stream
      .pipeThrough(encryptStream(key, { segmentSize, inFlight, engine }))
      .getReader();
    await reader.read(); // the header
    await settle();
    expect(state.pulled).toBeLessThanOrEqual(bound);
    const before = state.pulled;
    await reader.read();
    await settle();
    expect(state.pulled).toBeGreaterThan(before); // reading more lets it continue
    expect(state.pulled).toBeLessThanOrEqual(bound + segmentSize + 16);
    await reader.cancel();
  });

  it('decryptStream reads no further ahead than its buffers while the consumer waits', async () => {
    const sealed = await encrypt(key, pattern(1 << 18, 2), { segmentSize, engine: 'node' });
    const { stream, state } = countingSource(sealed, 256);
    const reader = stream.pipeThrough(decryptStream(key, { inFlight, engine })).getReader();
    await reader.read();
    await settle();
    expect(state.pulled).toBeLessThanOrEqual(bound + 84);
    await reader.cancel();
  });
});
