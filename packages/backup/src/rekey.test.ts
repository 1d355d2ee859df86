import { decodeEncryptionInfo, encodeEncryptionInfo } from '@sealstream/manifest';
import { memoryStorage, type Storage, writeObject } from '@sealstream/storage';
import { describe, expect, it } from 'vitest';
import { alter } from './alter.ts';
import { backup } from './backup.ts';
import { list } from './list.ts';
import { listKeys } from './listKeys.ts';
import { rekey } from './rekey.ts';
import { restore } from './restore.ts';
import {
  dump,
  entriesOf,
  memoryTarget,
  steppingClock,
  type Tree,
  testKeys,
} from './testing/testkit.ts';

const v1: Tree = {
  'a.txt': 'alpha',
  dir: { dir: true },
  'dir/b.txt': 'bravo',
  link: { link: 'a.txt' },
};
const v2: Tree = { ...v1, 'c.txt': 'charlie' };
const v3: Tree = { 'a.txt': 'alpha, edited', dir: { dir: true }, 'c.txt': 'charlie' };

/** A chain of three layers (full, +c.txt, a.txt edited and dir/b.txt and link deleted). */
async function threeLayers(storage: Storage, keys: Parameters<typeof backup>[0]['keys']) {
  const now = steppingClock();
  await backup({ collection: storage, keys, entries: entriesOf(v1), now });
  await backup({ collection: storage, keys, entries: entriesOf(v2), incremental: true, now });
  await backup({
    collection: storage,
    keys,
    entries: entriesOf(v3, { 'a.txt': 5_000 }),
    incremental: true,
    now,
  });
  return now;
}

async function treeAt(storage: Storage, keys: Parameters<typeof restore>[0]['keys'], asOf: string) {
  const target = memoryTarget();
  await restore({ collection: storage, keys, target, asOf, backup: asOf });
  return target.tree();
}

describe('rekey', () => {
  it('copies every layer under a new data key that no old key or old entry opens', async () => {
    const storage = memoryStorage();
    const { a, b, c } = testKeys();
    const now = await threeLayers(storage, [a, b]);
    const before = await dump(storage);
    const savedInfo = [...before.entries()].find(([k]) => k.endsWith('/ENCRYPTION_INFO'));
    const r = await rekey({ collection: storage, keys: [b], newKeys: [a, c], now });
    expect(r.layers).toHaveLength(3);
    expect(r).toMatchObject({ resumed: 0, latest: true, deletedOld: false });
    expect(r.verified.blobs).toBeGreaterThan(0);
    for (const [i, tree] of [v1, v2, v3].entries()) {
      const layer = r.layers[i] as { from: string; to: string };
      expect(await treeAt(storage, [c], layer.to)).toEqual(tree);
      expect(await treeAt(storage, [a], layer.from)).toEqual(tree);
    }
    // LATEST is the new chain; b was not given to it and opens nothing of it.
    const target = memoryTarget();
    expect((await restore({ collection: storage, keys: [c], target })).full).toBe(r.to);
    await expect(
      restore({ collection: storage, keys: [b], target: memoryTarget() }),
    ).rejects.toMatchObject({ code: 'ERR_BACKUP_NO_KEY' });
    // Even with the old chain's saved ENCRYPTION_INFO planted in the new chain, b opens nothing.
    const [, bytes] = savedInfo as [string, Uint8Array];
    const old = decodeEncryptionInfo(bytes);
    const fresh = (await listKeys({ collection: storage })).chainId;
    expect(fresh).not.toBe(old.chainId);
    await writeObject(
      storage,
      `${r.to}/ENCRYPTION_INFO-9`,
      encodeEncryptionInfo({ ...old, generation: 9 }),
    );
    const planted = memoryTarget();
    await expect(
      restore({ collection: storage, keys: [b], target: planted }),
    ).rejects.toMatchObject({
      code: expect.stringMatching(/^ERR_/),
    });
    expect(planted.tree()).toEqual({});
  });

  it('resumes after an interruption, and deletes the old chain only once the copy is verified', async () => {
    const base = memoryStorage();
    const { a, b } = testKeys();
    const now = await threeLayers(base, [a]);
    // A storage that fails while the third layer is being copied.
    let snapshots = 0;
    const failing: Storage = {
      ...base,
      write: async (key, options) => {
        if (key.endsWith('/SNAPSHOT') && ++snapshots === 3) throw new Error('storage went away');
        return base.write(key, options);
      },
    };
    await expect(rekey({ collection: failing, keys: [a], newKeys: [b], now })).rejects.toThrow(
      'storage went away',
    );
    // Interrupted: LATEST still points to the old, complete chain.
    const listed = await list({ collection: base });
    const latest = listed.find((x) => x.latest);
    expect(latest?.id).toBe(listed[0]?.id);
    const r = await rekey({ collection: base, keys: [a], newKeys: [b], deleteOld: true, now });
    expect(r.resumed).toBe(2);
    expect(r.deletedOld).toBe(true);
    expect([...(await dump(base)).keys()].filter((k) => k.startsWith(`${r.from}/`))).toEqual([]);
    expect(await treeAt(base, [b], (r.layers[2] as { to: string }).to)).toEqual(v3);
    expect((await list({ collection: base })).every((x) => !x.id.startsWith(r.from))).toBe(true);
  });

  it('carries entries over only as given: alter on the old chain does not reach the new one', async () => {
    const storage = memoryStorage();
    const { a, b, c } = testKeys();
    const now = await threeLayers(storage, [a]);
    const r = await rekey({ collection: storage, keys: [a], newKeys: [b], now });
    await alter({ collection: storage, backup: r.from, keys: [a], add: [c] });
    expect((await listKeys({ collection: storage })).keys.map((k) => k.key)).toEqual([b.id]);
  });

  it('carries hard links, extended attributes and owner names over to the copy', async () => {
    const storage = memoryStorage();
    const { a, c } = testKeys();
    const stat = {
      mtimeNs: 1_000_000n,
      ctimeNs: 1_000_000n,
      ino: 7n,
      dev: 1n,
      uid: 1000,
      gid: 50,
      nlink: 2,
      user: 'alice',
      group: 'staff',
      xattrs: [{ name: 'user.k', value: Uint8Array.of(1, 2) }],
    };
    const file = (name: string) => ({
      name,
      type: 'file' as const,
      size: 3,
      stat,
      open: () => new TextEncoder().encode('abc'),
    });
    const now = steppingClock();
    await backup({ collection: storage, keys: [a], entries: [file('x'), file('y')], now });
    const r = await rekey({ collection: storage, keys: [a], newKeys: [c], now });
    const target = memoryTarget();
    const metas = new Map<string, unknown>();
    const writeFile = target.writeFile.bind(target);
    target.writeFile = async (name, meta) => {
      metas.set(name, meta);
      return writeFile(name, meta);
    };
    await restore({ collection: storage, keys: [c], target, backup: r.to });
    expect(target.hardLinks).toEqual(new Map([['y', 'x']]));
    expect(metas.get('x')).toMatchObject({
      uid: 1000,
      gid: 50,
      user: 'alice',
      group: 'staff',
      xattrs: [{ name: 'user.k', value: Uint8Array.of(1, 2) }],
    });
  });
});
