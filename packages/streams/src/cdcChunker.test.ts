import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cdcChunker } from './cdcChunker.ts';
import { GearChunker, type GearChunkerOptions } from './GearChunker.ts';

const KEY = new Uint8Array(32).fill(7);
const SMALL = { min: 64, avg: 256, max: 2048 } as const;

function noise(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed | 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x >>> 24;
  }
  return out;
}

async function run(
  pieces: Uint8Array[],
  options: GearChunkerOptions = SMALL,
  key: Uint8Array = KEY,
): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  let i = 0;
  await new ReadableStream<Uint8Array>({
    pull(c) {
      if (i < pieces.length) c.enqueue(pieces[i++] as Uint8Array);
      else c.close();
    },
  })
    .pipeThrough(cdcChunker(key, options))
    .pipeTo(new WritableStream({ write: (c) => void out.push(c) }));
  return out;
}

/** `data` split at the given offsets, each piece a copy. */
function split(data: Uint8Array, at: number[]): Uint8Array[] {
  const bounds = [...new Set([0, ...at.map((s) => s % (data.length + 1)), data.length])].sort(
    (a, b) => a - b,
  );
  return bounds.slice(1).map((b, k) => data.slice(bounds[k], b));
}

const endsOf = (chunks: Uint8Array[]): number[] => {
  let o = 0;
  return chunks.map((c) => (o += c.length));
};

describe('cdcChunker', () => {
  it('emits the chunks of GearChunker.cuts, whatever the input pieces (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 12000 }),
        fc.integer(),
        fc.array(fc.nat(), { maxLength: 30 }),
        async (n, seed, at) => {
          const data = noise(n, seed);
          const expected = new GearChunker(KEY, SMALL).cuts(data);
          const out = await run(split(data, at));
          expect(endsOf(out)).toEqual(expected);
          expect(new Uint8Array(out.flatMap((c) => [...c]))).toEqual(data);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('gives the same chunks byte by byte, at random and as one buffer', async () => {
    const data = noise(20000, 99);
    const whole = await run([data]);
    const bytes = await run(Array.from(data, (b) => new Uint8Array([b])));
    const random = await run(split(data, [5, 6, 1000, 1001, 4095, 9000, 12345, 19999]));
    expect(whole.length).toBeGreaterThan(20);
    expect(bytes).toEqual(whole);
    expect(random).toEqual(whole);
    const lengths = whole.map((c) => c.length);
    expect(lengths.slice(0, -1).every((n) => n > SMALL.min && n <= SMALL.max)).toBe(true);
  });

  it('emits nothing for an empty input, and one short chunk for an input shorter than min', async () => {
    expect(await run([])).toEqual([]);
    expect(await run([new Uint8Array(0), new Uint8Array(0)])).toEqual([]);
    const short = noise(SMALL.min, 5);
    expect(await run([short.subarray(0, 10), short.subarray(10)])).toEqual([short]);
  });

  it('does not copy a chunk that lies within one input piece', async () => {
    const data = noise(20000, 11);
    const out = await run([data]);
    expect(out.length).toBeGreaterThan(2);
    expect(out.every((c) => c.buffer === data.buffer)).toBe(true);
  });

  it('uses the key: another key cuts elsewhere', async () => {
    const data = noise(20000, 13);
    const a = endsOf(await run([data]));
    const b = endsOf(await run([data], SMALL, new Uint8Array(32).fill(8)));
    expect(a).not.toEqual(b);
  });

  it('rejects bad options at once and non-byte chunks in the stream', async () => {
    expect(() => cdcChunker(KEY, { avg: 100 })).toThrow(
      'Cannot construct GearChunker as avg must be a power of two from 64 to 268435456: received 100',
    );
    expect(() => cdcChunker(new Uint8Array(31))).toThrow(RangeError);
    const error = await run(['x' as unknown as Uint8Array]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('cdcChunker: every chunk must be a Uint8Array');
  });

  it('keeps at most one unfinished chunk: default sizes over 24 MiB in 64 KiB pieces', async () => {
    const data = noise(24 << 20, 17);
    const expected = new GearChunker(KEY).cuts(data);
    const out = await run(
      split(
        data,
        Array.from({ length: 384 }, (_, k) => k * 65536),
      ),
      {},
    );
    expect(endsOf(out)).toEqual(expected);
    expect(out.every((c) => c.length <= 8 << 20)).toBe(true);
  });
});
