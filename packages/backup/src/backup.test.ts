import { memoryStorage } from '@sealstream/storage';
import { describe, expect, it } from 'vitest';
import { backup } from './backup.ts';
import { list } from './list.ts';
import { restore } from './restore.ts';
import { show } from './show.ts';
import {
  entriesOf,
  memoryTarget,
  normal,
  steppingClock,
  type Tree,
  testKeys,
} from './testing/testkit.ts';
import { verify } from './verify.ts';

describe('backup and restore of a chain', () => {
  it('restores every layer to exactly the tree of its moment', async () => {
    const storage = memoryStorage();
    const { a } = testKeys();
    const now = steppingClock();
    const moments: { id: string; tree: Tree }[] = [];
    const t0: Tree = {
      docs: { dir: true },
      'docs/a.txt': 'alpha',
      'docs/b.txt': 'beta',
      empty: '',
      'é/ü.txt': 'unicode',
      é: { dir: true },
      link: { link: 'docs/a.txt' },
    };
    const r0 = await backup({ collection: storage, keys: [a], entries: entriesOf(t0), now });
    expect(r0.type).toBe('full');
    moments.push({ id: r0.id, tree: t0 });

    // Change one file (new mtime), add one, delete one.
    const t1: Tree = { ...t0, 'docs/a.txt': 'alpha, changed', 'docs/c.txt': 'gamma' };
    delete t1['docs/b.txt'];
    const r1 = await backup({
      collection: storage,
      keys: [a],
      entries: entriesOf(t1, { 'docs/a.txt': 5_000 }),
      incremental: true,
      now,
    });
    expect(r1).toMatchObject({
      type: 'incremental',
      full: r0.id,
      deleted: 1,
      written: { objects: 2 },
    });
    moments.push({ id: r1.id, tree: t1 });

    // Delete a directory with its content; nothing else changes.
    const t2: Tree = { ...t1 };
    delete t2.é;
    delete t2['é/ü.txt'];
    const r2 = await backup({
      collection: storage,
      keys: [a],
      entries: entriesOf(t2, { 'docs/a.txt': 5_000 }),
      incremental: true,
      now,
    });
    // A deleted directory counts once, not with what it held.
    expect(r2).toMatchObject({ deleted: 1, written: { objects: 0 }, stored: { bytes: 0 } });
    moments.push({ id: r2.id, tree: t2 });

    for (const m of moments) {
      const target = memoryTarget();
      const r = await restore({ collection: storage, keys: [a], target, asOf: m.id });
      expect(r.id).toBe(m.id);
      expect(target.tree()).toEqual(normal(m.tree));
      expect(target.finished).toBe(true);
      expect(target.settled).toBe(0);
    }
    // LATEST is the newest layer of the newest chain; a layer id works as the backup name too.
    const latest = memoryTarget();
    expect((await restore({ collection: storage, keys: [a], target: latest })).id).toBe(r2.id);
    expect(latest.tree()).toEqual(normal(t2));
    const byName = memoryTarget();
    await restore({ collection: storage, keys: [a], target: byName, backup: r1.id });
    expect(byName.tree()).toEqual(normal(t1));

    const listed = await list({ collection: storage });
    expect(listed.map((b) => [b.id, b.type, b.latest])).toEqual([
      [r0.id, 'full', true],
      [r1.id, 'incremental', false],
      [r2.id, 'incremental', false],
    ]);
    const v = await verify({ collection: storage, keys: [a] });
    expect(v.layers).toEqual([r0.id, r1.id, r2.id]);
    // Every distinct chunk once: alpha, beta, unicode, then alpha-changed and gamma.
    expect(v.bytes).toBe(5 + 4 + 7 + 14 + 5);
  });

  it('shows objects, types, sizes, entries and deletions per layer', async () => {
    const storage = memoryStorage();
    const { a } = testKeys();
    const now = steppingClock();
    await backup({
      collection: storage,
      keys: [a],
      entries: entriesOf({ d: { dir: true }, 'd/x': 'xx', 'd/y': 'yyy' }),
      now,
    });
    await backup({
      collection: storage,
      keys: [a],
      entries: entriesOf({ d: { dir: true }, 'd/x': 'xx' }),
      incremental: true,
      now,
    });
    const s = await show({ collection: storage, keys: [a] });
    expect(s.layers.map((l) => [l.type, l.deleted])).toEqual([
      ['full', []],
      ['incremental', ['d/y']],
    ]);
    const full = s.rows.filter((r) => r.backupType === 'full');
    expect(full.map((r) => [r.object, r.objectType, r.size, r.entries])).toEqual([
      ['d', 'dir', 0, 2],
      ['d/x', 'file', 2, 1],
      ['d/y', 'file', 3, 1],
    ]);
    // Nothing was added or changed by the incremental (d kept its mtime): it only deletes.
    expect(s.rows.filter((r) => r.backupType === 'incremental')).toEqual([]);
  });

  it('restores a single object or a subtree, and names an unknown one', async () => {
    const storage = memoryStorage();
    const { a } = testKeys();
    await backup({
      collection: storage,
      keys: [a],
      entries: entriesOf({ d: { dir: true }, 'd/x': 'xx', y: 'yy' }),
    });
    const target = memoryTarget();
    await restore({ collection: storage, keys: [a], target, objects: ['d'] });
    expect(target.tree()).toEqual({ d: { dir: true }, 'd/x': 'xx' });
    // Names inside another one named, or named twice, are restored once.
    const overlapping = memoryTarget();
    const writes: string[] = [];
    await restore({
      collection: storage,
      keys: [a],
      target: {
        ...overlapping,
        writeFile: (name, meta) => {
          writes.push(name);
          return overlapping.writeFile(name, meta);
        },
      },
      objects: ['d/x', 'd', 'd/'],
    });
    expect(overlapping.tree()).toEqual({ d: { dir: true }, 'd/x': 'xx' });
    expect(writes).toEqual(['d/x']);
    await expect(
      restore({ collection: storage, keys: [a], target: memoryTarget(), objects: ['nope'] }),
    ).rejects.toMatchObject({
      code: 'ERR_BACKUP_NOT_FOUND',
    });
  });

  it('restores the names of a hard-linked file as links to the first, each name alone as a file', async () => {
    const storage = memoryStorage();
    const { a } = testKeys();
    // d/one and d/two are one file (same device, inode, link count); d/three shares the inode
    // but was read with other bytes (changed between the reads): it is written on its own.
    const stat = (nlink: number) => ({
      mtimeNs: 1_000_000_000n,
      ctimeNs: 1_000_000_000n,
      ino: 77n,
      dev: 5n,
      uid: 0,
      gid: 0,
      nlink,
    });
    const [dir, ...files] = entriesOf({
      d: { dir: true },
      'd/one': 'shared bytes',
      'd/three': 'other bytes',
      'd/two': 'shared bytes',
    });
    await backup({
      collection: storage,
      keys: [a],
      entries: [dir as (typeof files)[number], ...files.map((f) => ({ ...f, stat: stat(3) }))],
    });
    const target = memoryTarget();
    await restore({ collection: storage, keys: [a], target });
    expect(target.tree()).toEqual({
      d: { dir: true },
      'd/one': 'shared bytes',
      'd/three': 'other bytes',
      'd/two': 'shared bytes',
    });
    expect([...target.hardLinks]).toEqual([['d/two', 'd/one']]);
    // One name alone is a file; a target that cannot link gets every name as a file.
    const alone = memoryTarget();
    await restore({ collection: storage, keys: [a], target: alone, objects: ['d/two'] });
    expect(new TextDecoder().decode(alone.bytes('d/two'))).toBe('shared bytes');
    expect(alone.bytes('d/one')).toBeUndefined();
    expect(alone.hardLinks.size).toBe(0);
    const { link: _link, ...noLinks } = memoryTarget();
    const plain = { ...noLinks } as ReturnType<typeof memoryTarget>;
    await restore({ collection: storage, keys: [a], target: plain });
    expect(plain.tree()).toEqual(target.tree());
    // A target whose link fails (a file system without hard links) gets a file instead.
    const refusing = memoryTarget();
    refusing.link = async () => {
      throw new Error('EPERM: no hard links here');
    };
    await restore({ collection: storage, keys: [a], target: refusing });
    expect(refusing.tree()).toEqual(target.tree());
    // A file with one link is stored and restored as before.
    const single = memoryStorage();
    await backup({
      collection: single,
      keys: [a],
      entries: files.map((f) => ({ ...f, stat: stat(1) })),
    });
    const once = memoryTarget();
    await restore({ collection: single, keys: [a], target: once });
    expect(once.hardLinks.size).toBe(0);
  });

  it('tells the target what is selected before anything is written, and stops when it refuses', async () => {
    const storage = memoryStorage();
    const { a } = testKeys();
    await backup({
      collection: storage,
      keys: [a],
      entries: entriesOf({ d: { dir: true }, 'd/x': 'xx', y: 'yyy' }),
    });
    const seen: unknown[] = [];
    const target = memoryTarget();
    await restore({
      collection: storage,
      keys: [a],
      target: { ...target, begin: (objects) => void seen.push(objects) },
      objects: ['d'],
    });
    // The objects named (not everything under them: a tree may hold millions).
    expect(seen).toEqual([[{ name: 'd', type: 'dir', size: 0 }]]);
    const refused = memoryTarget();
    const refusal = new Error('one object only');
    await expect(
      restore({
        collection: storage,
        keys: [a],
        target: {
          ...refused,
          begin: () => {
            throw refusal;
          },
        },
      }),
    ).rejects.toBe(refusal);
    expect(refused.tree()).toEqual({});
  });

  it('backs up a named stream and a large object across many segments', async () => {
    const storage = memoryStorage();
    const { a } = testKeys();
    const big = crypto.getRandomValues(new Uint8Array(65536)).map((b, i) => b ^ i);
    const bytes = new Uint8Array(5 * 65536 + 7);
    for (let i = 0; i < bytes.length; i += big.length)
      bytes.set(big.subarray(0, Math.min(big.length, bytes.length - i)), i);
    const r = await backup({
      collection: storage,
      keys: [a],
      chunker: { min: 4096, avg: 16384, max: 65536 },
      entries: [{ name: 'db.dump', type: 'stream', open: () => new Blob([bytes]).stream() }],
    });
    expect(r.bytes).toBe(bytes.length);
    const target = memoryTarget();
    await restore({ collection: storage, keys: [a], target });
    expect(Object.keys(target.tree())).toEqual(['db.dump']);
    expect(target.bytes('db.dump')).toEqual(bytes);
  });

  it('refuses unsafe object names before writing anything', async () => {
    const storage = memoryStorage();
    const { a } = testKeys();
    await expect(
      backup({
        collection: storage,
        keys: [a],
        entries: [
          { name: '../escape', type: 'file', size: 1, open: () => new Blob(['x']).stream() },
        ],
      }),
    ).rejects.toMatchObject({ code: 'ERR_BACKUP_BAD_SOURCE' });
    expect(await list({ collection: storage })).toEqual([]);
  });

  it('reports an empty collection clearly', async () => {
    const { a } = testKeys();
    await expect(
      restore({ collection: memoryStorage(), keys: [a], target: memoryTarget() }),
    ).rejects.toMatchObject({
      code: 'ERR_BACKUP_NOT_FOUND',
    });
    await expect(
      backup({ collection: memoryStorage(), keys: [a], entries: [], incremental: true }),
    ).rejects.toMatchObject({
      code: 'ERR_BACKUP_NOT_FOUND',
    });
  });
});
