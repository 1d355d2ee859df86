import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunker } from './chunker.ts';

async function run(chunks: Uint8Array[], size: number): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  let i = 0;
  await new ReadableStream<Uint8Array>({
    pull(c) {
      if (i < chunks.length) c.enqueue(chunks[i++] as Uint8Array);
      else c.close();
    },
  })
    .pipeThrough(chunker(size))
    .pipeTo(new WritableStream({ write: (c) => void out.push(c) }));
  return out;
}

describe('chunker', () => {
  it('re-chunks any input into size-byte chunks, last one short (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ maxLength: 50, size: 'max' }), { maxLength: 20 }),
        fc.integer({ min: 1, max: 40 }),
        async (chunks, size) => {
          const out = await run(chunks, size);
          const input = chunks.flatMap((c) => [...c]);
          expect(out.flatMap((c) => [...c])).toEqual(input);
          for (const [k, c] of out.entries()) {
            if (k < out.length - 1) expect(c.length).toBe(size);
            else expect(c.length).toBeGreaterThan(0);
            if (k === out.length - 1) expect(c.length).toBeLessThanOrEqual(size);
          }
          expect(out.length).toBe(Math.ceil(input.length / size));
        },
      ),
    );
  });

  it('does not copy aligned input: outputs are views of the input buffers', async () => {
    const a = new Uint8Array(8).fill(1);
    const b = new Uint8Array(4).fill(2);
    const out = await run([a, b], 4);
    expect(out.map((c) => c.buffer)).toEqual([a.buffer, a.buffer, b.buffer]);
    expect(out[1]?.byteOffset).toBe(4);
  });

  it('rejects a bad size and non-byte chunks', async () => {
    expect(() => chunker(0)).toThrow(
      new RangeError('Cannot construct chunker as size must be a positive integer: received 0'),
    );
    expect(() => chunker(1.5)).toThrow(RangeError);
    await expect(run(['x' as unknown as Uint8Array], 4)).rejects.toThrow(TypeError);
  });
});
