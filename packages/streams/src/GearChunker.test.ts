import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import golden from '../golden/cdc-v1.json' with { type: 'json' };
import { GEAR_CHUNKER_DEFAULTS, GearChunker } from './GearChunker.ts';
import { gearTable } from './gearTable.ts';
import { decodeHex, encodeHex } from './hex.ts';

const KEY = new Uint8Array(32).map((_, i) => i);
const SMALL = { min: 64, avg: 256, max: 2048 } as const;

/** The golden files' input: SHA-256(utf8(seed) ‖ uint32be(k)) for k = 0, 1, …, truncated. */
function counterInput(seed: string, length: number): Uint8Array {
  const out = new Uint8Array(length);
  const block = new Uint8Array([...new TextEncoder().encode(seed), 0, 0, 0, 0]);
  const view = new DataView(block.buffer);
  for (let k = 0, o = 0; o < length; k++, o += 32) {
    view.setUint32(block.length - 4, k, false);
    out.set(sha256(block).subarray(0, Math.min(32, length - o)), o);
  }
  return out;
}

/** Pseudo-random bytes from a seed (xorshift32): fast, deterministic test data. */
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

const lengthsOf = (ends: number[]): number[] => ends.map((e, k) => e - (ends[k - 1] ?? 0));

/** Feeds `data` piece by piece (cut at `splits`) through scan and returns the chunk ends. */
function scanInPieces(chunker: GearChunker, data: Uint8Array, splits: number[]): number[] {
  const bounds = [...new Set([0, ...splits.map((s) => s % (data.length + 1)), data.length])].sort(
    (a, b) => a - b,
  );
  const ends: number[] = [];
  for (let k = 1; k < bounds.length; k++) {
    const piece = data.slice(bounds[k - 1], bounds[k]); // a copy: no shared buffer
    const base = bounds[k - 1] as number;
    let start = 0;
    for (let cut = chunker.scan(piece); cut >= 0; cut = chunker.scan(piece, start)) {
      ends.push(base + cut);
      start = cut;
    }
  }
  if (chunker.pending > 0) ends.push(data.length);
  chunker.reset();
  return ends;
}

const arbOptions = fc
  .record({
    avgBits: fc.integer({ min: 6, max: 10 }),
    minFraction: fc.double({ min: 0.01, max: 0.99, noNaN: true }),
    maxFactor: fc.double({ min: 1.01, max: 8, noNaN: true }),
    normalization: fc.integer({ min: 0, max: 3 }),
  })
  .map(({ avgBits, minFraction, maxFactor, normalization }) => {
    const avg = 2 ** avgBits;
    return {
      avg,
      min: Math.max(1, Math.floor(avg * minFraction)),
      max: Math.ceil(avg * maxFactor) + 1,
      normalization,
    };
  });

describe('GearChunker', () => {
  it('has restic-like defaults and FastCDC masks (22 and 18 bits below bit 31)', () => {
    const c = new GearChunker(KEY);
    expect(GEAR_CHUNKER_DEFAULTS).toEqual({
      min: 524288,
      avg: 1048576,
      max: 8388608,
      normalization: 2,
    });
    expect([c.min, c.avg, c.max, c.normalization]).toEqual([524288, 1048576, 8388608, 2]);
    expect(c.maskS >>> 0).toBe(0x7ffffe00);
    expect(c.maskL >>> 0).toBe(0x7fffe000);
    const d = new GearChunker(KEY, { avg: 4096 });
    expect([d.min, d.max]).toEqual([2048, 32768]);
    const e = new GearChunker(KEY, { avg: 64, normalization: 0 });
    expect(e.maskS).toBe(e.maskL);
    expect(e.maskS).toBe(0x7e000000);
  });

  it('rejects a bad key or nonsense sizes with precise messages', () => {
    const make =
      (o: object, key: Uint8Array = KEY) =>
      () =>
        new GearChunker(key, o);
    expect(make({}, new Uint8Array(16))).toThrow(
      new RangeError('Cannot construct GearChunker as key must be 32 bytes: received 16 bytes'),
    );
    expect(make({}, 'k'.repeat(32) as unknown as Uint8Array)).toThrow(
      'Cannot construct GearChunker as key must be 32 bytes: received string',
    );
    expect(make({ avg: 1000 })).toThrow(
      new RangeError(
        'Cannot construct GearChunker as avg must be a power of two from 64 to 268435456: received 1000',
      ),
    );
    expect(make({ avg: 32 })).toThrow(/avg must be a power of two .*: received 32$/);
    expect(make({ avg: 2 ** 29 })).toThrow(RangeError);
    expect(make({ min: 0 })).toThrow(
      new RangeError(
        'Cannot construct GearChunker as min must be an integer >= 1 and < avg (1048576): received 0',
      ),
    );
    expect(make({ min: 1048576 })).toThrow(/min must be .*: received 1048576$/);
    expect(make({ min: 1.5 })).toThrow(/received 1.5$/);
    expect(make({ max: 1048576 })).toThrow(
      new RangeError(
        'Cannot construct GearChunker as max must be an integer > avg (1048576) and <= 1073741824: received 1048576',
      ),
    );
    expect(make({ max: 2 ** 30 + 1 })).toThrow(RangeError);
    expect(make({ normalization: 4 })).toThrow(
      new RangeError(
        'Cannot construct GearChunker as normalization must be 0, 1, 2 or 3: received 4',
      ),
    );
    expect(make({ normalization: -1 })).toThrow(RangeError);
    const c = new GearChunker(KEY, SMALL);
    expect(() => c.scan(new Uint8Array(4), 3, 2)).toThrow(
      'GearChunker.scan needs 0 <= start <= end: received start 3, end 2',
    );
    expect(() => c.scan(new Uint8Array(4), 0, 5)).toThrow(
      'GearChunker.scan needs end <= data.length (4): received 5',
    );
  });

  it('matches the golden file (golden/cdc-v1.json): any change of the cut rule fails here', () => {
    expect(golden.cases.map((c) => c.name)).toEqual([
      'small sizes',
      'small sizes, another key',
      'normalization 0, forced cuts at max',
      'normalization 3',
      'defaults (min 512 KiB, avg 1 MiB, max 8 MiB, normalization 2)',
    ]);
    for (const t of golden.tables) {
      const table = gearTable(decodeHex(t.key));
      expect(Array.from(table.subarray(0, 4), (v) => v >>> 0)).toEqual(t.first);
      expect((table[255] as number) >>> 0).toBe(t.last);
      const bytes = new Uint8Array(1024);
      const view = new DataView(bytes.buffer);
      for (const [i, v] of table.entries()) view.setInt32(4 * i, v, false);
      expect(encodeHex(sha256(bytes))).toBe(t.sha256);
    }
    for (const c of golden.cases) {
      const data = counterInput(c.seed, c.length);
      const chunker = new GearChunker(decodeHex(c.key), c);
      expect(chunker.cuts(data), c.name).toEqual(c.ends);
      expect(scanInPieces(chunker, data, [1, 4097, 65536, 1 << 20]), c.name).toEqual(c.ends);
    }
  });

  it('chunks cover the input; every chunk but the last is in (min, max] (property)', () => {
    fc.assert(
      fc.property(arbOptions, fc.integer({ min: 0, max: 20000 }), fc.integer(), (o, n, seed) => {
        const data = noise(n, seed);
        const ends = new GearChunker(KEY, o).cuts(data);
        if (n === 0) expect(ends).toEqual([]);
        else expect(ends.at(-1)).toBe(n);
        const lengths = lengthsOf(ends);
        for (const [k, len] of lengths.entries()) {
          expect(len).toBeLessThanOrEqual(o.max);
          if (k < lengths.length - 1) expect(len).toBeGreaterThan(o.min);
          else expect(len).toBeGreaterThan(0);
        }
      }),
    );
  });

  it('cuts do not depend on how the input is split (property)', () => {
    fc.assert(
      fc.property(
        arbOptions,
        fc.integer({ min: 0, max: 8000 }),
        fc.integer(),
        fc.array(fc.nat(), { maxLength: 40 }),
        (o, n, seed, splits) => {
          const data = noise(n, seed);
          const chunker = new GearChunker(KEY, o);
          const whole = chunker.cuts(data);
          expect(scanInPieces(chunker, data, splits)).toEqual(whole);
        },
      ),
    );
    const chunker = new GearChunker(KEY, SMALL);
    const data = noise(6000, 7);
    const bytes = Array.from({ length: data.length }, (_, i) => i);
    expect(scanInPieces(chunker, data, bytes)).toEqual(chunker.cuts(data));
  });

  it('a different key gives different boundaries (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.integer(),
        (k1, k2, seed) => {
          fc.pre(encodeHex(k1) !== encodeHex(k2));
          const data = noise(32768, seed);
          const a = new GearChunker(k1, SMALL).cuts(data);
          const b = new GearChunker(k2, SMALL).cuts(data);
          expect(a.length).toBeGreaterThan(40);
          expect(a).not.toEqual(b);
          // Not a shifted copy either: most boundaries differ.
          const shared = a.filter((x) => b.includes(x)).length;
          expect(shared).toBeLessThan(a.length / 2);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('re-synchronises after an insert or delete: cuts before the edit are kept, and from the first common cut after it the rest are identical (property)', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 0, max: 65535 }),
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
        fc.boolean(),
        (seed, at, bytes, insert) => {
          const a = noise(65536, seed);
          const edited = insert
            ? new Uint8Array([...a.subarray(0, at), ...bytes, ...a.subarray(at)])
            : new Uint8Array([...a.subarray(0, at), ...a.subarray(at + bytes.length)]);
          const removed = insert ? 0 : Math.min(bytes.length, a.length - at);
          const shift = insert ? bytes.length : -removed;
          const chunker = new GearChunker(KEY, { min: 128, avg: 512, max: 4096 });
          const before = chunker.cuts(a);
          const after = chunker.cuts(edited);
          // Unchanged prefix: every cut before the edit is kept.
          expect(after.filter((x) => x < at)).toEqual(before.filter((x) => x < at));
          // The old cuts past the edit, moved by the size of the edit.
          const moved = before.filter((x) => x > at + removed).map((x) => x + shift);
          const tail = after.filter((x) => x > at);
          const first = tail.findIndex((x) => moved.includes(x));
          if (first < 0) {
            // Only when a delete reaches the end: no old cut is left to meet.
            expect(tail).toEqual([]);
            return;
          }
          expect(first).toBeLessThan(24); // typically 0 to 2 (the chunk that holds the edit)
          const from = tail[first] as number;
          expect(tail.slice(first)).toEqual(moved.filter((x) => x >= from));
        },
      ),
    );
  });

  it('gives a mean chunk length near avg on random bytes', () => {
    const chunker = new GearChunker(KEY, { min: 1024, avg: 4096, max: 32768 });
    const data = noise(4 << 20, 42);
    const ends = chunker.cuts(data);
    const mean = data.length / ends.length;
    expect(mean).toBeGreaterThan(0.9 * 4096);
    expect(mean).toBeLessThan(1.5 * 4096);
  });

  it('cuts long runs of one byte value at most every max bytes, and reset() forgets a chunk', () => {
    const chunker = new GearChunker(KEY, SMALL);
    for (const value of [0, 0xff, 0x5a]) {
      const data = new Uint8Array(20000).fill(value);
      const lengths = lengthsOf(chunker.cuts(data));
      expect(lengths.every((n) => n <= SMALL.max)).toBe(true);
      expect(lengths.reduce((x, y) => x + y, 0)).toBe(data.length);
    }
    const data = noise(5000, 3);
    expect(chunker.scan(data, 0, 10)).toBe(-1);
    expect(chunker.pending).toBe(10);
    chunker.reset();
    expect(chunker.pending).toBe(0);
    const first = chunker.cuts(data)[0] as number;
    expect(chunker.scan(data)).toBe(first);
    expect(chunker.pending).toBe(0);
  });
});
