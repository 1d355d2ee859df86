import { deriveChainKeys } from '@sealstream/manifest';
import { memoryStorage } from '@sealstream/storage';
import { describe, expect, it } from 'vitest';
import type { BackupEntry } from '../BackupSource.ts';
import { Collection } from '../Collection.ts';
import { entriesOf, memoryTarget, type Tree } from '../testing/testkit.ts';
import { ChainPacks } from './ChainPacks.ts';
import { restoreTree } from './restoreTree.ts';
import { rootEntry } from './walkTree.ts';
import { writeTree } from './writeTree.ts';

const chunker = { min: 1024, avg: 4096, max: 16384 };
const tree: Tree = {
  'a.txt': 'alpha',
  big: 'x'.repeat(50_000),
  copy: 'x'.repeat(50_000),
  dir: { dir: true },
  'dir/b.txt': 'bravo',
  'dir/sub': { dir: true },
  'dir/sub/c.txt': 'charlie',
  'dir/zlink': { link: '../a.txt' },
  empty: { dir: true },
};

async function chain() {
  const storage = memoryStorage();
  const collection = new Collection(storage);
  const keys = await deriveChainKeys(crypto.getRandomValues(new Uint8Array(32)));
  // Each run opens the chain's packs afresh, as a new process would.
  const packs = () => ChainPacks.open(collection, 'c', keys, { chunker, packBytes: 64 * 1024 });
  const restore = async (root: Uint8Array) => {
    const target = memoryTarget();
    await restoreTree([{ entry: rootEntry(root), path: '' }], target, await packs());
    await target.finish?.();
    return target;
  };
  const write = async (entries: Iterable<BackupEntry>, parentRoot?: Uint8Array) => {
    const p = await packs();
    const r = await writeTree(entries, p, parentRoot === undefined ? {} : { parentRoot });
    await p.finish();
    return { ...r, chunkStats: p.stats, treesWritten: p.trees.written };
  };
  return { storage, keys, write, restore };
}

/** Entries with full-precision stats, as walkDirectory gives them. */
function withStats(t: Tree, changed: Record<string, bigint> = {}): BackupEntry[] {
  return entriesOf(t).map((e, i) => ({
    ...e,
    stat: {
      mtimeNs: changed[e.name] ?? 1_000_000_000n,
      ctimeNs: 5n,
      ino: BigInt(i + 10),
      dev: 7n,
      uid: 1,
      gid: 2,
    },
  }));
}

describe('v2 trees: writeTree and restoreTree', () => {
  it('restores exactly the tree it stored, deduplicating identical files', async () => {
    const c = await chain();
    const r = await c.write(entriesOf(tree));
    expect(r.entries).toBe(Object.keys(tree).length);
    const target = await c.restore(r.root);
    expect(target.tree()).toEqual(tree);
    // `copy` is `big` again: no new chunk for it.
    expect(r.chunkStats.deduplicated).toBeGreaterThan(0);
  });

  it('makes directories an entry names but does not list, and refuses entries out of order', async () => {
    const c = await chain();
    const r = await c.write([
      { name: 'x/y/z.txt', type: 'stream', open: () => new Blob(['zz']).stream() },
    ]);
    expect((await c.restore(r.root)).tree()).toEqual({
      x: { dir: true },
      'x/y': { dir: true },
      'x/y/z.txt': 'zz',
    });
    await expect(
      c.write([
        ...entriesOf({ 'd/a': 'a' }),
        ...entriesOf({ e: 'e' }),
        ...entriesOf({ 'd/b': 'b' }),
      ]),
    ).rejects.toMatchObject({ code: 'ERR_BACKUP_BAD_SOURCE' });
    await expect(
      c.write([...entriesOf({ a: 'a' }), ...entriesOf({ a: 'b' })]),
    ).rejects.toMatchObject({
      code: 'ERR_BACKUP_BAD_SOURCE',
    });
  });

  it('an incremental reads only changed files and rewrites only the trees on their path', async () => {
    const c = await chain();
    const first = await c.write(withStats(tree));
    const same = await c.write(withStats(tree), first.root);
    expect(same.root).toEqual(first.root);
    expect(same.unchanged).toBe(5);
    expect(same.chunkStats.chunks).toBe(0);
    expect(same.treesWritten).toBe(0);
    // One file changed deep down: its chunks, and the trees of dir/sub, dir and the root.
    const edited = { ...tree, 'dir/sub/c.txt': 'charlie, edited' };
    const next = await c.write(withStats(edited, { 'dir/sub/c.txt': 2_000_000_000n }), first.root);
    expect(next.unchanged).toBe(4);
    expect(next.treesWritten).toBe(3);
    expect((await c.restore(next.root)).tree()).toEqual(edited);
    // A changed ctime alone (e.g. after touch -r) is a change too.
    const touched = withStats(tree).map((e) =>
      e.name === 'a.txt' && e.stat ? { ...e, stat: { ...e.stat, ctimeNs: 6n } } : e,
    );
    expect((await c.write(touched, first.root)).unchanged).toBe(4);
  });

  it('splits a directory of more than 10,000 entries into ranges', async () => {
    const c = await chain();
    const many: BackupEntry[] = Array.from({ length: 10_050 }, (_, i) => ({
      name: `f${String(i).padStart(5, '0')}`,
      type: 'file' as const,
      size: 0,
      open: () => new Blob([]).stream(),
    }));
    const r = await c.write(many);
    const target = await c.restore(r.root);
    expect(Object.keys(target.tree())).toHaveLength(10_050);
    expect(r.treesWritten).toBe(3); // two ranges and the tree listing them
  });
});
