import { dekCheckValue, encodeEncryptionInfo, wrapContext } from '@sealstream/manifest';
import { memoryStorage, writeObject } from '@sealstream/storage';
import { describe, expect, it } from 'vitest';
import { backup } from './backup.ts';
import { restore } from './restore.ts';
import {
  dump,
  entriesOf,
  memoryTarget,
  steppingClock,
  type Tree,
  testKeys,
} from './testing/testkit.ts';

const chunker = { min: 1024, avg: 4096, max: 16384 };
const v1: Tree = {
  'a.txt': 'alpha',
  dir: { dir: true },
  'dir/b.txt': 'bravo'.repeat(5000),
  link: { link: 'a.txt' },
};
const v2: Tree = { ...v1, 'c.txt': 'charlie' };
const v3: Tree = {
  'a.txt': 'alpha',
  dir: { dir: true },
  'dir/b.txt': `${'bravo'.repeat(5000)}!`,
  'c.txt': 'charlie',
};

describe('collection format v2: backup and restore of a chain', () => {
  it('takes a full backup and incrementals, and restores each layer exactly', async () => {
    const storage = memoryStorage();
    const { a, b } = testKeys();
    const now = steppingClock();
    const full = await backup({
      collection: storage,
      keys: [a, b],
      entries: entriesOf(v1),
      chunker,
      now,
    });
    const inc1 = await backup({
      collection: storage,
      keys: [b],
      entries: entriesOf(v2),
      incremental: true,
      chunker,
      now,
    });
    const inc2 = await backup({
      collection: storage,
      keys: [a],
      entries: entriesOf(v3),
      incremental: true,
      chunker,
      now,
    });
    expect([full.type, inc1.type, inc2.type]).toEqual(['full', 'incremental', 'incremental']);
    // Nothing of v1 is stored again for v2 (one new small file); the edit in v3 adds a few chunks.
    expect(inc1.stored.bytes).toBe(7);
    expect(inc2.stored.bytes).toBeLessThan(3 * 16384);
    for (const [layer, tree] of [
      [full.id, v1],
      [inc1.id, v2],
      [inc2.id, v3],
    ] as const) {
      const target = memoryTarget();
      const r = await restore({ collection: storage, keys: [b], target, asOf: layer });
      expect(r.id).toBe(layer);
      expect(target.tree()).toEqual(tree);
    }
    const latest = memoryTarget();
    expect((await restore({ collection: storage, keys: [a], target: latest })).id).toBe(inc2.id);
    // No plaintext in storage.
    const text = [...(await dump(storage)).values()]
      .map((x) => new TextDecoder('latin1').decode(x))
      .join('');
    expect(text).not.toContain('bravo');
    expect(text).not.toContain('charlie');
  });

  it('refuses a new key in an incremental and a wrong key on restore', async () => {
    const storage = memoryStorage();
    const { a, b, c } = testKeys();
    const now = steppingClock();
    await backup({ collection: storage, keys: [a], entries: entriesOf(v1), chunker, now });
    await expect(
      backup({ collection: storage, keys: [a, b], entries: entriesOf(v2), incremental: true, now }),
    ).rejects.toMatchObject({ code: 'ERR_BACKUP_NEW_KEY' });
    await expect(
      restore({ collection: storage, keys: [c], target: memoryTarget() }),
    ).rejects.toMatchObject({
      code: 'ERR_BACKUP_NO_KEY',
    });
  });

  it('detects a dropped or replaced layer, and a key envelope wrapping another data key', async () => {
    const storage = memoryStorage();
    const { a } = testKeys();
    const now = steppingClock();
    const full = await backup({
      collection: storage,
      keys: [a],
      entries: entriesOf(v1),
      chunker,
      now,
    });
    const inc1 = await backup({
      collection: storage,
      keys: [a],
      entries: entriesOf(v2),
      incremental: true,
      chunker,
      now,
    });
    const inc2 = await backup({
      collection: storage,
      keys: [a],
      entries: entriesOf(v3),
      incremental: true,
      chunker,
      now,
    });
    const files = await dump(storage);
    // Dropping the middle layer breaks the chain for every later layer.
    await storage.delete(`${inc1.id}/SNAPSHOT`);
    await expect(
      restore({ collection: storage, keys: [a], target: memoryTarget() }),
    ).rejects.toMatchObject({
      code: 'ERR_MANIFEST_CHAIN_BROKEN',
    });
    await writeObject(
      storage,
      `${inc1.id}/SNAPSHOT`,
      files.get(`${inc1.id}/SNAPSHOT`) as Uint8Array,
    );
    // Replaying another layer's snapshot in its place fails its associated data.
    await storage.delete(`${inc2.id}/SNAPSHOT`);
    await writeObject(
      storage,
      `${inc2.id}/SNAPSHOT`,
      files.get(`${inc1.id}/SNAPSHOT`) as Uint8Array,
    );
    await expect(
      restore({ collection: storage, keys: [a], target: memoryTarget() }),
    ).rejects.toMatchObject({
      code: expect.stringMatching(/^ERR_AEAD_/),
    });
    await storage.delete(`${inc2.id}/SNAPSHOT`);
    await writeObject(
      storage,
      `${inc2.id}/SNAPSHOT`,
      files.get(`${inc2.id}/SNAPSHOT`) as Uint8Array,
    );
    // An envelope generation wrapping a data key of someone else's choosing under our key (what
    // encrypt-only KMS rights allow), for our chain's id and context, opens — and names another
    // chain, so it is refused before anything is read or written with it.
    const genuine = JSON.parse(new TextDecoder().decode(files.get(`${full.id}/ENCRYPTION_INFO`)));
    const theirs = crypto.getRandomValues(new Uint8Array(32));
    const entry = await a.wrap(theirs, wrapContext(genuine.chainId));
    await writeObject(
      storage,
      `${full.id}/ENCRYPTION_INFO-2`,
      encodeEncryptionInfo({
        chainId: genuine.chainId,
        generation: 2,
        created: new Date().toISOString(),
        dekCheck: await dekCheckValue(theirs),
        keys: [{ ...entry, entryId: '0badc0de', added: new Date().toISOString() }],
        // No MAC it could make under our chain's auth key; the chain id check refuses it first.
        mac: new Uint8Array(32),
      }),
    );
    const refused = restore({ collection: storage, keys: [a], target: memoryTarget() });
    await expect(refused).rejects.toMatchObject({ code: 'ERR_BACKUP_NO_KEY' });
    await expect(refused).rejects.toThrow(/belongs to another chain/);
    await expect(
      backup({ collection: storage, keys: [a], entries: entriesOf(v3), incremental: true, now }),
    ).rejects.toThrow(/belongs to another chain/);
  });
});
