import { encodeHex } from '@sealstream/streams';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeTree,
  encodeTree,
  MAX_TREE_ITEMS,
  type TreeEntry,
  type TreeObject,
} from './treeCodec.ts';

const id = (n: number) => new Uint8Array(32).fill(n);
const base = {
  mode: 0o100644,
  uid: 1000,
  gid: 1000,
  mtimeNs: 1_700_000_000_123_456_789n,
  ctimeNs: 1_700_000_001_000_000_000n,
  inode: 42n,
  device: 2049n,
};
const entries: TreeEntry[] = [
  { ...base, name: 'a.txt', type: 'file', size: 5n, chunks: [id(1)] },
  { ...base, name: 'big.bin', type: 'file', size: 3_000_000n, chunks: [id(2), id(3), id(4)] },
  { ...base, name: 'empty', type: 'file', size: 0n, chunks: [] },
  { ...base, name: 'link', type: 'symlink', mode: 0o120777, size: 0n, target: '../elsewhere' },
  { ...base, name: 'sub', type: 'dir', mode: 0o40755, size: 0n, tree: id(9) },
  { ...base, name: 'é', type: 'stream', size: 1n, chunks: [id(5)] },
];
const tree: TreeObject = { kind: 'entries', entries };

describe('v2 tree objects', () => {
  it('round-trips, deterministically', () => {
    const bytes = encodeTree(tree);
    expect(decodeTree(bytes)).toEqual(tree);
    expect(encodeHex(encodeTree(decodeTree(bytes)))).toBe(encodeHex(bytes));
    expect(encodeHex(bytes.subarray(0, 6))).toBe('010100000006');
  });

  it('keeps nanosecond times, negative times, 64-bit inodes and sizes', () => {
    const e: TreeEntry = {
      ...base,
      name: 'x',
      type: 'file',
      size: (1n << 53n) + 1n,
      chunks: [id(1)],
      mtimeNs: -1n,
      inode: (1n << 64n) - 1n,
    };
    const back = decodeTree(encodeTree({ kind: 'entries', entries: [e] }));
    expect(back).toEqual({ kind: 'entries', entries: [e] });
  });

  it('encodes an empty directory, and refuses a ranges tree without ranges', () => {
    const empty: TreeObject = { kind: 'entries', entries: [] };
    expect(decodeTree(encodeTree(empty))).toEqual(empty);
    expect(() => encodeTree({ kind: 'ranges', ranges: [] })).toThrow(TypeError);
    const bytes = encodeTree({ kind: 'ranges', ranges: [{ first: 'a', tree: id(1), count: 1 }] });
    const none = bytes.slice(0, 6);
    new DataView(none.buffer).setUint32(2, 0);
    expect(() => decodeTree(none)).toThrow(/0 items is not 1/);
  });

  it('round-trips ranges of a large directory', () => {
    const ranges: TreeObject = {
      kind: 'ranges',
      ranges: [
        { first: 'a', tree: id(1), count: 10_000 },
        { first: 'm', tree: id(2), count: 7 },
      ],
    };
    expect(decodeTree(encodeTree(ranges))).toEqual(ranges);
  });

  it.each([
    ['out of order', [entries[1], entries[0]]],
    ['a repeated name', [entries[0], entries[0]]],
    ['a name with a slash', [{ ...entries[0], name: 'a/b' }]],
    ['a dot name', [{ ...entries[0], name: '..' }]],
    ['a file without chunks', [{ ...entries[0], chunks: [] }]],
    ['a dir with chunks', [{ ...entries[4], chunks: [id(1)] }]],
    ['a symlink without target', [{ ...entries[3], target: '' }]],
    ['a negative inode', [{ ...entries[0], inode: -1n }]],
    ['a mode past 32 bits', [{ ...entries[0], mode: 2 ** 32 }]],
  ])('refuses %s', (_name, list) => {
    expect(() => encodeTree({ kind: 'entries', entries: list as TreeEntry[] })).toThrow(TypeError);
  });

  it('orders names by UTF-8 bytes, not UTF-16 units', () => {
    // UTF-8 bytes: U+FF5E is EF BD 9E, U+1F600 is F0 9F 98 80. JavaScript's default sort
    // compares UTF-16 units, where U+1F600 (a surrogate pair, D83D …) comes first.
    const names = ['\uff5e', '\u{1f600}'];
    expect([...names].sort()).toEqual([...names].reverse());
    const list = names.map((name) => ({ ...entries[0], name }) as TreeEntry);
    expect(() => encodeTree({ kind: 'entries', entries: list })).not.toThrow();
    expect(() => encodeTree({ kind: 'entries', entries: [...list].reverse() })).toThrow(
      /out of order/,
    );
  });

  it('writes names and targets of any length and script as their UTF-8 bytes', () => {
    const names = [
      'a'.repeat(64),
      `${'a'.repeat(70)}\u{1f600}`,
      `${'a'.repeat(64)}b`,
      `${'a'.repeat(63)}é`,
      'b'.repeat(4096),
      'zé',
      '\u{1f600}',
    ];
    const list = names.map(
      (name) => ({ ...entries[3], name, target: `${name}/../x` }) as TreeEntry,
    );
    const bytes = encodeTree({ kind: 'entries', entries: list });
    const decoded = decodeTree(bytes);
    expect(decoded.kind === 'entries' && decoded.entries.map((e) => [e.name, e.target])).toEqual(
      names.map((n) => [n, `${n}/../x`]),
    );
    // Each name is its uint16 length and exactly its UTF-8 bytes.
    const utf8 = new TextEncoder().encode('zé');
    const at = bytes.findIndex(
      (_, i) => bytes[i] === 0 && bytes[i + 1] === 3 && bytes[i + 2] === 0x7a,
    );
    expect(bytes.subarray(at + 2, at + 5)).toEqual(utf8);
    expect(() =>
      encodeTree({
        kind: 'entries',
        entries: [{ ...list[0], name: 'c'.repeat(4097) } as TreeEntry],
      }),
    ).toThrow(/longer than 4096/);
  });

  it('refuses every truncation and trailing bytes with ERR_MANIFEST_INVALID', () => {
    const bytes = encodeTree(tree);
    for (let n = 0; n < bytes.length; n += 3) {
      expect(() => decodeTree(bytes.subarray(0, n), 't'), `cut at ${n}`).toThrow(
        expect.objectContaining({ code: 'ERR_MANIFEST_INVALID' }),
      );
    }
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expect(() => decodeTree(longer)).toThrow(/after the last item/);
    const v2 = bytes.slice();
    v2[0] = 2;
    expect(() => decodeTree(v2)).toThrow(
      expect.objectContaining({ code: 'ERR_MANIFEST_UNSUPPORTED_VERSION' }),
    );
  });

  it('never throws anything but a typed error on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (junk) => {
        try {
          decodeTree(junk);
        } catch (e) {
          expect((e as { code?: string }).code).toMatch(/^ERR_MANIFEST_/);
        }
      }),
      { numRuns: 2000 },
    );
    const bytes = encodeTree(tree);
    fc.assert(
      fc.property(fc.nat(bytes.length - 1), fc.integer({ min: 1, max: 255 }), (at, flip) => {
        const bad = bytes.slice();
        bad[at] = (bad[at] as number) ^ flip;
        try {
          const back = decodeTree(bad);
          // Bytes that still decode are a different, valid tree: re-encoding gives the bytes read.
          expect(encodeHex(encodeTree(back))).toBe(encodeHex(bad));
        } catch (e) {
          expect((e as { code?: string }).code).toMatch(/^ERR_MANIFEST_/);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('stores the link count of a hard-linked file as type 5, and nothing for one link', () => {
    const linked: TreeEntry = {
      ...base,
      name: 'h',
      type: 'file',
      size: 5n,
      chunks: [id(1)],
      links: 3,
    };
    const bytes = encodeTree({ kind: 'entries', entries: [linked] });
    expect(decodeTree(bytes)).toEqual({ kind: 'entries', entries: [linked] });
    const typeAt = 6 + 2 + 1; // version, kind, count, then the name's length and byte
    expect(bytes[typeAt]).toBe(5);
    expect(encodeHex(bytes.subarray(-4))).toBe('00000003');
    const { links: _links, ...single } = linked;
    const plain = encodeTree({ kind: 'entries', entries: [single] });
    expect(plain[typeAt]).toBe(1);
    expect(plain.length).toBe(bytes.length - 4);
    // A writer never uses type 5 for fewer than two links, nor for anything but a file.
    expect(() => encodeTree({ kind: 'entries', entries: [{ ...linked, links: 1 }] })).toThrow(
      /links/,
    );
    expect(() =>
      encodeTree({
        kind: 'entries',
        entries: [{ ...base, name: 's', type: 'stream', size: 0n, chunks: [], links: 2 }],
      }),
    ).toThrow(/hard links/);
    const one = bytes.slice();
    new DataView(one.buffer).setUint32(one.length - 4, 1);
    expect(() => decodeTree(one)).toThrow(
      expect.objectContaining({ code: 'ERR_MANIFEST_INVALID' }),
    );
  });

  it('stores extended attributes after the entry, flagged in its type byte, byte by byte as specified', () => {
    const value = Uint8Array.of(0x76, 0x31);
    const dir: TreeEntry = {
      ...base,
      name: 'd',
      type: 'dir',
      mode: 0o40755,
      size: 0n,
      tree: id(9),
      xattrs: [
        { name: 'user.b', value: new Uint8Array() },
        { name: 'user.c', value },
      ],
    };
    const bytes = encodeTree({ kind: 'entries', entries: [dir] });
    expect(decodeTree(bytes)).toEqual({ kind: 'entries', entries: [dir] });
    const typeAt = 6 + 2 + 1;
    expect(bytes[typeAt]).toBe(0x82); // dir (2) with the extended-attributes flag
    const { xattrs: _x, ...plain } = dir;
    const without = encodeTree({ kind: 'entries', entries: [plain] });
    // count (uint16) ‖ per attribute: name (text) ‖ value length (uint32) ‖ value
    const tail = `00020006${encodeHex(new TextEncoder().encode('user.b'))}00000000`;
    const tail2 = `0006${encodeHex(new TextEncoder().encode('user.c'))}000000027631`;
    expect(encodeHex(bytes.subarray(without.length))).toBe(tail + tail2);
    expect(bytes.length).toBe(without.length + (tail.length + tail2.length) / 2);
    // The flag on a hard-linked file's type 5.
    const linked = encodeTree({
      kind: 'entries',
      entries: [
        {
          ...base,
          name: 'd',
          type: 'file',
          size: 0n,
          chunks: [],
          links: 2,
          xattrs: dir.xattrs ?? [],
        },
      ],
    });
    expect(linked[typeAt]).toBe(0x85);
    expect(decodeTree(linked).kind).toBe('entries');
  });

  it.each([
    ['an empty list (absent for none)', []],
    ['an empty name', [{ name: '', value: new Uint8Array() }]],
    ['a name with NUL', [{ name: 'user.\0', value: new Uint8Array() }]],
    ['a name of 256 bytes', [{ name: 'u'.repeat(256), value: new Uint8Array() }]],
    ['a value over 64 KiB', [{ name: 'user.a', value: new Uint8Array(65_537) }]],
    [
      'names out of order',
      [
        { name: 'user.b', value: new Uint8Array() },
        { name: 'user.a', value: new Uint8Array() },
      ],
    ],
    [
      'a repeated name',
      [
        { name: 'user.a', value: new Uint8Array() },
        { name: 'user.a', value: new Uint8Array() },
      ],
    ],
  ])('refuses extended attributes with %s, writing and reading', (_why, xattrs) => {
    const e: TreeEntry = { ...base, name: 'f', type: 'file', size: 0n, chunks: [], xattrs };
    expect(() => encodeTree({ kind: 'entries', entries: [e] })).toThrow(TypeError);
    // The same list as a writer that skipped the checks would lay it out.
    const good = encodeTree({
      kind: 'entries',
      entries: [{ ...e, xattrs: [{ name: 'x', value: new Uint8Array() }] }],
    });
    const head = good.subarray(0, good.length - (2 + 2 + 1 + 4));
    const parts: number[] = [...head, xattrs.length >> 8, xattrs.length & 0xff];
    for (const x of xattrs) {
      const name = new TextEncoder().encode(x.name);
      parts.push(name.length >> 8, name.length & 0xff, ...name);
      const n = x.value.length;
      parts.push(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff, ...x.value);
    }
    expect(() => decodeTree(Uint8Array.from(parts))).toThrow(
      expect.objectContaining({ code: 'ERR_MANIFEST_INVALID' }),
    );
  });

  it('round-trips a tree far larger than the first buffer of the encoder', () => {
    const many: TreeEntry[] = Array.from({ length: 2_000 }, (_, i) => ({
      ...base,
      name: `file-${String(i).padStart(5, '0')}`,
      type: 'file',
      size: 1n,
      chunks: [id(i % 256)],
    }));
    const big: TreeObject = { kind: 'entries', entries: many };
    const bytes = encodeTree(big);
    expect(bytes.length).toBeGreaterThan(100_000);
    expect(decodeTree(bytes)).toEqual(big);
  });

  it('bounds the items of one tree object', () => {
    expect(MAX_TREE_ITEMS).toBe(10_000);
    const bytes = encodeTree(tree);
    const many = bytes.slice();
    new DataView(many.buffer).setUint32(2, MAX_TREE_ITEMS + 1);
    expect(() => decodeTree(many)).toThrow(/items is not/);
  });
});
