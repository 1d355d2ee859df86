import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHUNK_CODEC, type ZstdEngine } from './chunkCodec.ts';
import { compressChunk, encodeChunk } from './compressChunk.ts';
import { concatBytes } from './concatBytes.ts';
import { decompressChunk } from './decompressChunk.ts';
import { equalBytes } from './equalBytes.ts';

const text = (s: string) => new TextEncoder().encode(s);

/** Random bytes of any length (getRandomValues fills at most 64 KiB per call). */
function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let o = 0; o < n; o += 65536) crypto.getRandomValues(out.subarray(o, o + 65536));
  return out;
}

/** Text-like bytes: words drawn by a small LCG, so every run sees the same input. */
function words(n: number, seed: number): Uint8Array {
  const vocabulary = ['seal', 'stream', 'chunk', 'zstd', 'deflate', 'backup', 'restore', 'key'];
  let s = seed >>> 0;
  let out = '';
  while (out.length < n) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out += `${vocabulary[(s >>> 16) % vocabulary.length]} `;
  }
  return text(out.slice(0, n));
}

describe('compressChunk', () => {
  it('round-trips text and arbitrary bytes (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 3000 }),
          fc.string({ maxLength: 3000 }).map(text),
          fc
            .array(fc.constantFrom('alpha ', 'beta ', 'gamma\n', '{"k":1}'), { maxLength: 800 })
            .map((a) => text(a.join(''))),
        ),
        async (bytes) => {
          const chunk = await compressChunk(bytes);
          expect([CHUNK_CODEC.raw, CHUNK_CODEC['deflate-raw']]).toContain(chunk[0]);
          expect(chunk.length).toBeLessThanOrEqual(bytes.length + 1);
          const back = await decompressChunk(chunk, { maxSize: bytes.length });
          expect(equalBytes(back, bytes)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('writes codec 1, the decoded size (uint32 big-endian) and a deflate-raw body for text', async () => {
    const input = words(1 << 20, 1);
    const chunk = await compressChunk(input);
    expect(chunk[0]).toBe(1);
    expect([...chunk.subarray(1, 5)]).toEqual([0x00, 0x10, 0x00, 0x00]);
    expect(chunk.length).toBeLessThan(input.length / 3);
    const body = chunk.subarray(5) as Uint8Array<ArrayBuffer>;
    const inflated = new Uint8Array(
      await new Response(
        new Blob([body]).stream().pipeThrough(new DecompressionStream('deflate-raw')),
      ).arrayBuffer(),
    );
    expect(equalBytes(inflated, input)).toBe(true);
  });

  it('stores random data raw: codec 0 and the bytes, one byte longer than the input', async () => {
    for (const n of [1, 100, 70_000, 256 * 1024, 1 << 20]) {
      const input = randomBytes(n);
      const chunk = await compressChunk(input);
      expect(chunk[0]).toBe(0);
      expect(chunk.length).toBe(n + 1);
      expect(equalBytes(chunk.subarray(1), input)).toBe(true);
      expect(equalBytes(await decompressChunk(chunk, { maxSize: n }), input)).toBe(true);
    }
  });

  it('stores raw when compression saves less than minSaving, compressed otherwise', async () => {
    // half random, half zeros: deflate saves about half
    const input = new Uint8Array(100_000);
    input.set(randomBytes(50_000));
    expect((await compressChunk(input, { minSaving: 0.6 }))[0]).toBe(0);
    const kept = await compressChunk(input, { minSaving: 0.4 });
    expect(kept[0]).toBe(1);
    expect(kept.length).toBeLessThan(60_000);
    expect((await compressChunk(input, { minSaving: 0 }))[0]).toBe(1);
  });

  it('probes large chunks: random samples at start, middle and end mean raw, text in one means compressed', async () => {
    const mostlyRandom = randomBytes(1 << 20);
    mostlyRandom.set(words(200_000, 2), 100_000); // compressible, but between the samples
    expect((await compressChunk(mostlyRandom))[0]).toBe(0);
    const textInMiddle = randomBytes(1 << 20);
    textInMiddle.set(words(400_000, 3), 300_000); // covers the middle sample
    const chunk = await compressChunk(textInMiddle);
    expect(chunk[0]).toBe(1);
    expect(chunk.length).toBeLessThan((1 << 20) - 300_000);
  });

  it('stores random and already-compressed data raw without starting a compressor', async () => {
    const calls: number[] = [];
    const zstd: ZstdEngine = {
      compress: (b) => {
        calls.push(b.length);
        return new Uint8Array(b.length);
      },
    };
    const gzipped = new Uint8Array(
      await new Response(
        new Blob([words(400_000, 5) as Uint8Array<ArrayBuffer>])
          .stream()
          .pipeThrough(new CompressionStream('gzip')),
      ).arrayBuffer(),
    );
    for (const input of [randomBytes(4096), randomBytes(100_000), randomBytes(1 << 20), gzipped]) {
      const chunk = await compressChunk(input, { zstd });
      expect(chunk[0]).toBe(0);
      expect(equalBytes(chunk.subarray(1), input)).toBe(true);
    }
    expect(calls).toEqual([]);
    // Text, and text beside random bytes, still go to the compressor.
    await compressChunk(words(8192, 6), { zstd });
    const half = randomBytes(8192);
    half.set(words(4096, 7));
    await compressChunk(half, { zstd });
    expect(calls).toEqual([8192, 8192]);
  });

  it('encodeChunk gives the same encoding in pieces, a raw chunk as [00, the input itself]', async () => {
    const random = randomBytes(70_000);
    const raw = await encodeChunk(random);
    expect(raw.length).toBe(2);
    expect([...(raw[0] as Uint8Array)]).toEqual([0]);
    expect(raw[1]).toBe(random);
    expect(equalBytes(concatBytes(...raw), await compressChunk(random))).toBe(true);
    const text = words(70_000, 8);
    const packed = await encodeChunk(text);
    expect(packed.length).toBe(1);
    expect(equalBytes(packed[0] as Uint8Array, await compressChunk(text))).toBe(true);
  });

  it("stores empty input and codec 'raw' as 00 ‖ bytes", async () => {
    expect([...(await compressChunk(new Uint8Array(0)))]).toEqual([0]);
    expect([...(await compressChunk(new Uint8Array(0), { codec: 'deflate-raw' }))]).toEqual([0]);
    const zeros = new Uint8Array(1000);
    const raw = await compressChunk(zeros, { codec: 'raw' });
    expect(raw.length).toBe(1001);
    expect(raw[0]).toBe(0);
  });

  it('writes codec 2 with the zstd engine it is given', async () => {
    const input = words(5000, 4);
    const frame = new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 1, 2, 3]);
    const seen: Uint8Array[] = [];
    const zstd: ZstdEngine = {
      compress: (b) => {
        seen.push(b);
        return frame;
      },
    };
    const chunk = await compressChunk(input, { zstd });
    expect(seen).toEqual([input]);
    expect([...chunk]).toEqual([2, 0, 0, 0x13, 0x88, ...frame]);
    // an explicit codec wins over the engine's presence
    expect((await compressChunk(input, { zstd, codec: 'deflate-raw' }))[0]).toBe(1);
  });

  it('checks its arguments', async () => {
    await expect(compressChunk('x' as unknown as Uint8Array)).rejects.toThrow(TypeError);
    await expect(compressChunk(new Uint8Array(1), { codec: 'zstd' })).rejects.toThrow(
      new TypeError("compressChunk: codec 'zstd' needs a zstd engine (options.zstd)"),
    );
    await expect(compressChunk(new Uint8Array(1), { minSaving: 1 })).rejects.toThrow(RangeError);
    await expect(compressChunk(new Uint8Array(1), { minSaving: -0.1 })).rejects.toThrow(RangeError);
    await expect(
      compressChunk(new Uint8Array(1), { codec: 'lz4' as unknown as 'raw' }),
    ).rejects.toThrow(new RangeError('compressChunk: unknown codec "lz4"'));
  });
});
