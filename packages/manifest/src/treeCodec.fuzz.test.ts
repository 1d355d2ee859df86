import { concatBytes, equalBytes } from '@sealstream/streams';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectTyped, fuzz, mutations } from '../../../tests/src/fuzz/byteFuzz.ts';
import { decodeTree, encodeTree, type TreeEntry, type TreeObject } from './treeCodec.ts';

// Fuzz target (docs/FUZZING.md): shared scaffolding in tests/src/fuzz/byteFuzz.ts.
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
  { ...base, name: 'hard', type: 'file', size: 5n, chunks: [id(1)], links: 2 },
  { ...base, name: 'link', type: 'symlink', mode: 0o120777, size: 0n, target: '../elsewhere' },
  { ...base, name: 'sub', type: 'dir', mode: 0o40755, size: 0n, tree: id(9) },
  {
    ...base,
    name: 'xa',
    type: 'file',
    size: 0n,
    chunks: [],
    xattrs: [
      { name: 'system.posix_acl_access', value: Uint8Array.of(2, 0, 0, 0) },
      { name: 'user.a', value: new Uint8Array() },
    ],
  },
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
  expect(equalBytes(encodeTree(tree), bytes)).toBe(true);
}

describe('tree object fuzz (decodeTree)', () => {
  it('mutated entries and ranges trees: a canonical tree or ERR_MANIFEST_*', () => {
    fc.assert(fc.property(fc.constantFrom(...valids).chain(mutations), check), fuzz(1500));
  });

  it('random bytes after a valid version and kind: a canonical tree or ERR_MANIFEST_*', () => {
    fc.assert(
      fc.property(fc.constantFrom(1, 2), fc.uint8Array({ maxLength: 200 }), (kind, rest) =>
        check(concatBytes(new Uint8Array([1, kind]), rest)),
      ),
      fuzz(500),
    );
  });
});
