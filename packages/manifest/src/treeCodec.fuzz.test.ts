import { SealstreamError } from '@sealstream/streams';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeTree, encodeTree, type TreeEntry, type TreeObject } from './treeCodec.ts';

// Fuzz target (docs/FUZZING.md): a fixed seed and case count here; SEALSTREAM_FUZZ_RUNS,
// SEALSTREAM_FUZZ_SEED and SEALSTREAM_FUZZ_PATH run longer or replay a failure.
const env =
  (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
function fuzz<T>(runs: number): fc.Parameters<T> {
  return {
    numRuns: Number(env.SEALSTREAM_FUZZ_RUNS) || runs,
    seed: Number(env.SEALSTREAM_FUZZ_SEED) || 13,
    ...(env.SEALSTREAM_FUZZ_PATH ? { path: env.SEALSTREAM_FUZZ_PATH } : {}),
  };
}

/** `valid` with bytes flipped, cut, inserted or appended, or wholly random bytes. */
function mutations(valid: Uint8Array): fc.Arbitrary<Uint8Array> {
  const edits = fc
    .array(
      fc.oneof(
        fc.record({ op: fc.constant('flip'), at: fc.nat(), x: fc.integer({ min: 1, max: 255 }) }),
        fc.record({ op: fc.constant('cut'), at: fc.nat(), n: fc.integer({ min: 1, max: 64 }) }),
        fc.record({ op: fc.constant('truncate'), at: fc.nat() }),
        fc.record({
          op: fc.constant('insert'),
          at: fc.nat(),
          bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
        }),
        fc.record({
          op: fc.constant('append'),
          bytes: fc.uint8Array({ minLength: 1, maxLength: 40 }),
        }),
      ),
      { minLength: 1, maxLength: 3 },
    )
    .map((list) => {
      let b = valid.slice();
      for (const e of list) {
        const i = 'at' in e ? e.at % (b.length + 1) : b.length;
        if (e.op === 'flip' && i < b.length) b[i] = (b[i] as number) ^ e.x;
        else if (e.op === 'cut') b = concat(b.subarray(0, i), b.subarray(i + e.n));
        else if (e.op === 'truncate') b = b.slice(0, i);
        else if (e.op === 'insert' || e.op === 'append')
          b = concat(b.subarray(0, i), e.bytes, b.subarray(i));
      }
      return b;
    });
  return fc.oneof(
    { weight: 4, arbitrary: edits },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: valid.length + 64 }) },
  );
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Rethrows anything but a SealstreamError whose code starts with `prefix`. */
function expectTyped(e: unknown, ...prefixes: string[]): void {
  if (!(e instanceof SealstreamError) || !prefixes.some((p) => e.code.startsWith(p))) throw e;
}

const id = (n: number) => new Uint8Array(32).fill(n);
const base = {
  mode: 0o100644,
  uid: 1000,
  gid: 1000,
  mtimeNs: 1_700_000_000_123_456_789n,
  ctimeNs: -1n,
  inode: (1n << 64n) - 1n,
  device: 2049n,
};
const entries: TreeEntry[] = [
  { ...base, name: 'a.txt', type: 'file', size: 5n, chunks: [id(1)] },
  { ...base, name: 'big.bin', type: 'file', size: 3_000_000n, chunks: [id(2), id(3)] },
  { ...base, name: 'empty', type: 'file', size: 0n, chunks: [] },
  { ...base, name: 'link', type: 'symlink', mode: 0o120777, size: 0n, target: '../elsewhere' },
  { ...base, name: 'sub', type: 'dir', mode: 0o40755, size: 0n, tree: id(9) },
  { ...base, name: 'é', type: 'stream', size: 1n, chunks: [id(5)] },
];
const valids = [
  encodeTree({ kind: 'entries', entries }),
  encodeTree({
    kind: 'ranges',
    ranges: [
      { first: 'a', tree: id(1), count: 3 },
      { first: 'm', tree: id(2), count: 10_000 },
    ],
  }),
];

/** Decodes: a tree that re-encodes to the same bytes, or an ERR_MANIFEST_* error. */
function check(bytes: Uint8Array): void {
  let tree: TreeObject;
  try {
    tree = decodeTree(bytes, 'tree/x');
  } catch (e) {
    expectTyped(e, 'ERR_MANIFEST_');
    return;
  }
  // The encoding is canonical: anything accepted re-encodes to exactly the bytes read.
  expect(equal(encodeTree(tree), bytes)).toBe(true);
}

describe('tree object fuzz (decodeTree)', () => {
  it('mutated entries and ranges trees: a canonical tree or ERR_MANIFEST_*', () => {
    fc.assert(fc.property(fc.constantFrom(...valids).chain(mutations), check), fuzz(1500));
  });

  it('random bytes after a valid version and kind: a canonical tree or ERR_MANIFEST_*', () => {
    fc.assert(
      fc.property(fc.constantFrom(1, 2), fc.uint8Array({ maxLength: 200 }), (kind, rest) =>
        check(concat(new Uint8Array([1, kind]), rest)),
      ),
      fuzz(500),
    );
  });
});
