import { createHash, hkdfSync, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import golden from '../golden/cdc-v1.json' with { type: 'json' };
import { GearChunker } from './GearChunker.ts';
import { gearTable } from './gearTable.ts';

/**
 * An independent chunker written from docs/CHUNKING.md with node:crypto and plain arithmetic
 * (none of the package's code, no 32-bit tricks): if the package and the specification ever
 * disagree, this fails.
 */
function referenceTable(key: Uint8Array): number[] {
  const okm = Buffer.from(
    hkdfSync('sha256', key, Buffer.alloc(0), Buffer.from('sealstream/cdc-gear/v1'), 1024),
  );
  return Array.from({ length: 256 }, (_, i) => okm.readUInt32BE(4 * i));
}

function referenceCuts(
  key: Uint8Array,
  data: Uint8Array,
  o: { min: number; avg: number; max: number; normalization: number },
): number[] {
  const g = referenceTable(key);
  const bits = Math.log2(o.avg);
  const mask = (k: number) => BigInt((2 ** k - 1) * 2 ** (31 - k));
  const maskS = mask(bits + o.normalization);
  const maskL = mask(bits - o.normalization);
  const ends: number[] = [];
  let start = 0;
  while (start < data.length) {
    let length = Math.min(o.max, data.length - start);
    let h = 0;
    for (let j = o.min; j < o.max && start + j < data.length; j++) {
      h = (2 * h + (g[data[start + j] as number] as number)) % 2 ** 32;
      if ((BigInt(h) & (j < o.avg ? maskS : maskL)) === 0n) {
        length = j + 1;
        break;
      }
    }
    start += length;
    ends.push(start);
  }
  return ends;
}

function counterInput(seed: string, length: number): Uint8Array {
  const out = Buffer.alloc(length);
  for (let k = 0, o = 0; o < length; k++, o += 32) {
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(k);
    createHash('sha256').update(seed, 'utf8').update(counter).digest().copy(out, o);
  }
  return new Uint8Array(out);
}

describe('GearChunker against a reference written from docs/CHUNKING.md', () => {
  it('derives the same gear table as HKDF-SHA256 from node:crypto', () => {
    for (let k = 0; k < 20; k++) {
      const key = new Uint8Array(randomBytes(32));
      expect(Array.from(gearTable(key), (v) => v >>> 0)).toEqual(referenceTable(key));
    }
  });

  it('cuts where the reference cuts (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.integer({ min: 6, max: 10 }),
        fc.integer({ min: 0, max: 3 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 4000 }),
        fc.integer({ min: 0, max: 20000 }),
        fc.string(),
        (key, avgBits, normalization, minFraction, maxExtra, length, seed) => {
          const data = counterInput(seed, length);
          const avg = 2 ** avgBits;
          const o = {
            avg,
            min: Math.min(avg - 1, Math.max(1, Math.floor(avg * minFraction))),
            max: avg + maxExtra,
            normalization,
          };
          expect(new GearChunker(key, o).cuts(data)).toEqual(referenceCuts(key, data, o));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('reproduces the small golden cases', () => {
    const small = golden.cases.filter((c) => c.length <= 65536);
    expect(small.length).toBe(4);
    for (const c of small) {
      const key = new Uint8Array(Buffer.from(c.key, 'hex'));
      expect(referenceCuts(key, counterInput(c.seed, c.length), c), c.name).toEqual(c.ends);
    }
  });
});
