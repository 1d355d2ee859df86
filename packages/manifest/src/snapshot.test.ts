import { describe, expect, it } from 'vitest';
import { deriveChainKeys } from './chainKeys.ts';
import {
  checkSnapshotChain,
  openSnapshot,
  type Snapshot,
  sealSnapshot,
  snapshotDigest,
} from './snapshot.ts';

const full: Snapshot = {
  layerId: '2026/12/06-031500.12',
  type: 'full',
  root: 'ab'.repeat(32),
  startTime: '2026-12-06T03:15:00.120Z',
  endTime: '2026-12-06T03:15:09.000Z',
  stats: { entries: 3, bytes: 10, newBlobs: 2, newBytes: 10 },
  localities: ['default'],
};

/** A chain of `n` layers, sealed, each naming the one before. */
async function chainOf(n: number) {
  const keys = await deriveChainKeys(crypto.getRandomValues(new Uint8Array(32)));
  const layers: { snapshot: Snapshot; sealed: Uint8Array }[] = [];
  for (let i = 0; i < n; i++) {
    const before = layers[i - 1];
    const snapshot: Snapshot =
      before === undefined
        ? full
        : {
            ...full,
            type: 'incremental',
            layerId: `${full.layerId}/incrementals/20261206-0316${String(i).padStart(2, '0')}.00`,
            parent: {
              layerId: before.snapshot.layerId,
              digest: await snapshotDigest(before.sealed),
            },
            root: String(i % 10).repeat(64),
          };
    layers.push({ snapshot, sealed: await sealSnapshot(keys.meta, keys.chainId, snapshot) });
  }
  return { keys, layers };
}

describe('v2 snapshots', () => {
  it('seal and open, bound to their chain and layer', async () => {
    const { keys, layers } = await chainOf(2);
    const [a, b] = layers as [(typeof layers)[0], (typeof layers)[0]];
    expect(await openSnapshot(keys.meta, keys.chainId, a.snapshot.layerId, a.sealed)).toEqual(full);
    expect(await openSnapshot(keys.meta, keys.chainId, b.snapshot.layerId, b.sealed)).toEqual(
      b.snapshot,
    );
    // Read as another layer, or in another chain: authentication fails.
    await expect(
      openSnapshot(keys.meta, keys.chainId, b.snapshot.layerId, a.sealed, 's'),
    ).rejects.toMatchObject({ code: expect.stringMatching(/^ERR_AEAD_/), file: 's' });
    const other = await deriveChainKeys(crypto.getRandomValues(new Uint8Array(32)));
    await expect(
      openSnapshot(keys.meta, other.chainId, a.snapshot.layerId, a.sealed),
    ).rejects.toMatchObject({ code: expect.stringMatching(/^ERR_AEAD_/) });
  });

  it('accepts a whole chain and detects a dropped, reordered, replayed or replaced layer', async () => {
    const { keys, layers } = await chainOf(4);
    await checkSnapshotChain(layers);
    const broken = (l: typeof layers) =>
      expect(checkSnapshotChain(l)).rejects.toMatchObject({ code: 'ERR_MANIFEST_CHAIN_BROKEN' });
    await broken([layers[0], layers[2], layers[3]] as typeof layers); // dropped
    await broken([layers[0], layers[2], layers[1], layers[3]] as typeof layers); // reordered
    await broken([layers[0], layers[1], layers[1], layers[2]] as typeof layers); // replayed
    await broken(layers.slice(1)); // no full layer first
    // A layer re-sealed with other content (same id, same parent link) breaks its child's link.
    const replaced = {
      snapshot: { ...(layers[1]?.snapshot as Snapshot), root: 'ff'.repeat(32) },
      sealed: await sealSnapshot(keys.meta, keys.chainId, {
        ...(layers[1]?.snapshot as Snapshot),
        root: 'ff'.repeat(32),
      }),
    };
    await broken([layers[0], replaced, layers[2], layers[3]] as typeof layers);
  });

  it('refuses what it would not write', async () => {
    const keys = await deriveChainKeys(crypto.getRandomValues(new Uint8Array(32)));
    const bad = (s: Partial<Snapshot>) =>
      sealSnapshot(keys.meta, keys.chainId, { ...full, ...s } as Snapshot);
    await expect(bad({ type: 'incremental' })).rejects.toThrow(/has no parent/);
    await expect(bad({ root: 'xyz' })).rejects.toMatchObject({ code: 'ERR_MANIFEST_INVALID' });
    await expect(bad({ localities: [] })).rejects.toThrow(/empty/);
    await expect(bad({ localities: ['a', 'a'] })).rejects.toThrow(/repeats/);
    await expect(
      bad({ stats: { entries: -1, bytes: 0, newBlobs: 0, newBytes: 0 } }),
    ).rejects.toMatchObject({ code: 'ERR_MANIFEST_INVALID' });
    await expect(
      openSnapshot(keys.meta, keys.chainId, full.layerId, new Uint8Array((1 << 20) + 1)),
    ).rejects.toMatchObject({ code: 'ERR_MANIFEST_TOO_LARGE' });
  });

  it('keeps owner names by id, and refuses lists out of order, repeated or with bad names', async () => {
    const keys = await deriveChainKeys(crypto.getRandomValues(new Uint8Array(32)));
    const owners = {
      users: [
        { id: 0, name: 'root' },
        { id: 1000, name: 'alice' },
      ],
      groups: [{ id: 4294967295, name: 'nogroup' }],
    };
    const s = { ...full, owners };
    const sealed = await sealSnapshot(keys.meta, keys.chainId, s);
    expect(await openSnapshot(keys.meta, keys.chainId, full.layerId, sealed)).toEqual(s);
    const bad = (o: NonNullable<Snapshot['owners']>) =>
      sealSnapshot(keys.meta, keys.chainId, { ...full, owners: o });
    const invalid = { code: 'ERR_MANIFEST_INVALID' };
    await expect(bad({ users: [], groups: [] })).rejects.toMatchObject(invalid);
    for (const users of [
      [owners.users[1], owners.users[0]],
      [owners.users[0], owners.users[0]],
      [{ id: -1, name: 'x' }],
      [{ id: 2 ** 32, name: 'x' }],
      [{ id: 1, name: '' }],
      [{ id: 1, name: 'a:b' }],
      [{ id: 1, name: 'a\nb' }],
      [{ id: 1, name: 'x'.repeat(257) }],
    ])
      await expect(bad({ users: users as never, groups: [] })).rejects.toMatchObject(invalid);
  });
});
