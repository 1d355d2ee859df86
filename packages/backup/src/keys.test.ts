import type { KeyWrapper } from '@sealstream/kms';
import { wrapContext } from '@sealstream/manifest';
import { memoryStorage, writeObject } from '@sealstream/storage';
import { describe, expect, it } from 'vitest';
import { alter } from './alter.ts';
import { backup } from './backup.ts';
import { listKeys } from './listKeys.ts';
import { entriesOpenedBy, type OpenChain } from './openChain.ts';
import { restore } from './restore.ts';
import { show } from './show.ts';
import { dump, entriesOf, memoryTarget, steppingClock, testKeys } from './testing/testkit.ts';

const tree = { 'a.txt': 'secret payload' };

describe('keys of a chain', () => {
  it('restores with each of three keys alone, and with a passphrase', async () => {
    const storage = memoryStorage();
    const { a, b, c, pass } = testKeys();
    await backup({
      collection: storage,
      keys: [a, b, c, pass('hunter2 hunter2')],
      entries: entriesOf(tree),
    });
    for (const k of [a, b, c, pass('hunter2 hunter2')]) {
      const target = memoryTarget();
      const r = await restore({ collection: storage, keys: [k], target });
      expect(target.tree()).toEqual(tree);
      expect(r.openedWith).toBe(k.redactedUri);
    }
  });

  it('names every key that failed when none opens the backup', async () => {
    const storage = memoryStorage();
    const { a, b, c, pass } = testKeys();
    await backup({
      collection: storage,
      keys: [a, pass('right passphrase')],
      entries: entriesOf(tree),
    });
    const err = await restore({
      collection: storage,
      keys: [b, pass('Tr0ub4dor&3-not-it')],
      target: memoryTarget(),
    }).catch((e) => e);
    expect(err).toMatchObject({ code: 'ERR_BACKUP_NO_KEY' });
    expect(err.message).toContain(b.redactedUri);
    expect(err.message).toContain('passphrase');
    expect(err.message).not.toContain('Tr0ub4dor');
    // A working key after a failing one still opens it, and the failure is reported.
    const r = await restore({ collection: storage, keys: [c, a], target: memoryTarget() });
    expect(r.openedWith).toBe(a.redactedUri);
    expect(r.keyFailures.map((f) => f.uri)).toEqual([c.redactedUri]);
  });

  it('lets an incremental use a subset of the full backup keys, never a new one', async () => {
    const storage = memoryStorage();
    const { a, b, c } = testKeys();
    const now = steppingClock();
    await backup({ collection: storage, keys: [a, b], entries: entriesOf(tree), now });
    await backup({
      collection: storage,
      keys: [b],
      entries: entriesOf({ ...tree, 'n.txt': 'new' }),
      incremental: true,
      now,
    });
    const err = await backup({
      collection: storage,
      keys: [a, c],
      entries: entriesOf(tree),
      incremental: true,
      now,
    }).catch((e) => e);
    expect(err).toMatchObject({ code: 'ERR_BACKUP_NEW_KEY' });
    expect(err.message).toContain(c.redactedUri);
    // Restoring the incremental works with the other key of the full backup.
    const target = memoryTarget();
    await restore({ collection: storage, keys: [a], target });
    expect(target.tree()).toEqual({ ...tree, 'n.txt': 'new' });
  });

  it('alter adds a key that then opens the whole chain, and accepts it for new incrementals', async () => {
    const storage = memoryStorage();
    const { a, b, c } = testKeys();
    const now = steppingClock();
    const full = await backup({ collection: storage, keys: [a], entries: entriesOf(tree), now });
    const inc = await backup({
      collection: storage,
      keys: [a],
      entries: entriesOf({ ...tree, x: 'x' }),
      incremental: true,
      now,
    });
    await expect(
      restore({ collection: storage, keys: [b], target: memoryTarget() }),
    ).rejects.toMatchObject({ code: 'ERR_BACKUP_NO_KEY' });
    const r = await alter({ collection: storage, keys: [a], add: [b, c] });
    expect(r).toMatchObject({ full: full.id, generation: 2, changed: true });
    expect(r.added.map((k) => k.key)).toEqual([b.id, c.id]);
    for (const layer of [full.id, inc.id]) {
      const target = memoryTarget();
      await restore({ collection: storage, keys: [b], target, asOf: layer });
      expect(Object.keys(target.tree()).length).toBeGreaterThan(0);
    }
    await backup({
      collection: storage,
      keys: [c],
      entries: entriesOf(tree),
      incremental: true,
      now,
    });
    expect((await show({ collection: storage, keys: [c] })).layers).toHaveLength(3);
    // The old generation is kept (append-only) when keys are only added.
    expect([...(await dump(storage)).keys()].filter((k) => k.includes('ENCRYPTION_INFO'))).toEqual([
      `${full.id}/ENCRYPTION_INFO`,
      `${full.id}/ENCRYPTION_INFO-2`,
    ]);
  });

  it('removes a key while another remains, and refuses to remove the last', async () => {
    const storage = memoryStorage();
    const { a, b } = testKeys();
    await backup({ collection: storage, keys: [a, b], entries: entriesOf(tree) });
    await alter({ collection: storage, keys: [a], remove: [b] });
    await expect(
      restore({ collection: storage, keys: [b], target: memoryTarget() }),
    ).rejects.toMatchObject({ code: 'ERR_BACKUP_NO_KEY' });
    // The removed key's wrapped copy is gone from every file.
    const infos = [...(await dump(storage)).keys()].filter((k) => k.includes('ENCRYPTION_INFO'));
    expect(infos).toHaveLength(1);
    await expect(alter({ collection: storage, keys: [a], remove: [a] })).rejects.toMatchObject({
      code: 'ERR_BACKUP_LAST_KEY',
    });
    const target = memoryTarget();
    await restore({ collection: storage, keys: [a], target });
    expect(target.tree()).toEqual(tree);
  });

  it('never stores the passphrase or any key material', async () => {
    const storage = memoryStorage();
    const passphrase = 'Very-Unique-Passphrase-4711';
    const { a, pass } = testKeys();
    await backup({ collection: storage, keys: [a, pass(passphrase)], entries: entriesOf(tree) });
    const haystack = [...(await dump(storage)).values()]
      .map((b) => new TextDecoder('latin1').decode(b))
      .join('\n');
    expect(haystack).not.toContain(passphrase);
    expect(haystack).not.toContain('secret payload');
  });

  it('gives every entry an id, and alter adding a key already there writes nothing', async () => {
    const storage = memoryStorage();
    const { a, b } = testKeys();
    await backup({ collection: storage, keys: [a, a, b], entries: entriesOf(tree) });
    const before = await listKeys({ collection: storage });
    expect(before.keys.map((k) => k.key)).toEqual([a.id, b.id]);
    expect(new Set(before.keys.map((k) => k.entryId)).size).toBe(2);
    for (const k of before.keys) expect(k.entryId).toMatch(/^[0-9a-f]{8}$/);
    const files = [...(await dump(storage)).keys()];
    const r = await alter({ collection: storage, keys: [a], add: [b, a] });
    expect(r).toMatchObject({ changed: false, generation: 1, added: [] });
    expect(r.alreadyPresent).toEqual([b.redactedUri, a.redactedUri]);
    expect([...(await dump(storage)).keys()]).toEqual(files);
  });

  it('removes an entry by id without its key, and a passphrase by the passphrase', async () => {
    const storage = memoryStorage();
    const { a, b, pass } = testKeys();
    await backup({
      collection: storage,
      keys: [a, pass('first passphrase'), b],
      entries: entriesOf(tree),
    });
    await alter({
      collection: storage,
      keys: [a],
      add: [pass('second passphrase')],
      label: 'safe',
    });
    const listed = await listKeys({ collection: storage });
    expect(listed.keys.map((k) => [k.scheme, k.label])).toEqual([
      ['local-kms', undefined],
      ['passphrase', undefined],
      ['local-kms', undefined],
      ['passphrase', 'safe'],
    ]);
    // Adding the same passphrase again is recognised by opening, not by its (absent) identity.
    expect(
      (await alter({ collection: storage, keys: [a], add: [pass('second passphrase')] })).changed,
    ).toBe(false);
    const bEntry = listed.keys[2]?.entryId as string;
    const r = await alter({ collection: storage, keys: [a], removeEntries: [bEntry] });
    expect(r.removed.map((k) => k.entryId)).toEqual([bEntry]);
    await alter({ collection: storage, keys: [a], remove: [pass('first passphrase')] });
    expect((await listKeys({ collection: storage })).keys.map((k) => k.label ?? k.scheme)).toEqual([
      'local-kms',
      'safe',
    ]);
    await expect(
      restore({ collection: storage, keys: [pass('first passphrase')], target: memoryTarget() }),
    ).rejects.toMatchObject({ code: 'ERR_BACKUP_NO_KEY' });
    await expect(
      alter({ collection: storage, keys: [a], removeEntries: ['00000000'] }),
    ).rejects.toMatchObject({ code: 'ERR_BACKUP_NOT_FOUND' });
    await expect(
      alter({ collection: storage, keys: [a], remove: [pass('never added')] }),
    ).rejects.toMatchObject({ code: 'ERR_BACKUP_NOT_FOUND' });
    const target = memoryTarget();
    await restore({ collection: storage, keys: [pass('second passphrase')], target });
    expect(target.tree()).toEqual(tree);
  });

  it('refuses an incremental given a passphrase the chain does not have', async () => {
    const storage = memoryStorage();
    const { a, pass } = testKeys();
    const now = steppingClock();
    await backup({
      collection: storage,
      keys: [a, pass('the one')],
      entries: entriesOf(tree),
      now,
    });
    const err = await backup({
      collection: storage,
      keys: [a, pass('another one')],
      entries: entriesOf(tree),
      incremental: true,
      now,
    }).catch((e) => e);
    expect(err).toMatchObject({ code: 'ERR_BACKUP_NEW_KEY' });
    await backup({
      collection: storage,
      keys: [a, pass('the one')],
      entries: entriesOf(tree),
      incremental: true,
      now,
    });
  });

  it('keeps at most four passphrase entries, and tries a passphrase against no more', async () => {
    const storage = memoryStorage();
    const { a, pass } = testKeys();
    await backup({ collection: storage, keys: [a, pass('first pass')], entries: entriesOf(tree) });
    for (const p of ['second pass', 'third pass', 'fourth pass'])
      await alter({ collection: storage, keys: [a], add: [pass(p)] });
    await expect(
      alter({ collection: storage, keys: [a], add: [pass('fifth pass')] }),
    ).rejects.toMatchObject({
      code: 'ERR_BACKUP_BAD_ARGUMENT',
    });
    for (const p of ['first pass', 'fourth pass']) {
      const r = await restore({ collection: storage, keys: [pass(p)], target: memoryTarget() });
      expect(r.openedWith).toBe('passphrase:');
    }

    // Decoys written into a hostile ENCRYPTION_INFO: a passphrase is tried against four, not six.
    const dek = crypto.getRandomValues(new Uint8Array(32));
    const chainId = 'chain-with-decoys';
    const context = wrapContext(chainId);
    const decoys = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => pass(`decoy ${n}`).wrap(dek, context)),
    );
    const real = await pass('the real one').wrap(dek, context);
    let tries = 0;
    const inner = pass('the real one');
    const counted: KeyWrapper = {
      ...inner,
      unwrap: (entry, ctx) => {
        tries++;
        return inner.unwrap(entry, ctx);
      },
    };
    const chain = { info: { chainId }, dek } as unknown as OpenChain;
    const entries = [...decoys, real] as unknown as OpenChain['info']['keys'];
    expect(await entriesOpenedBy(chain, counted, entries)).toEqual([]);
    expect(tries).toBe(4);
  });

  it('accepts only key envelope generations written by a key holder', async () => {
    // Someone with storage write access but no key of the chain edits the envelope: a generation
    // copied to the next number (a replay), an entry dropped, entries relabelled and reordered.
    const storage = memoryStorage();
    const { a, b } = testKeys();
    const full = await backup({ collection: storage, keys: [a, b], entries: entriesOf(tree) });
    const first = (await dump(storage)).get(`${full.id}/ENCRYPTION_INFO`) as Uint8Array;
    const doc = JSON.parse(new TextDecoder().decode(first));
    // Each forgery, with the keys that still have an entry in it (b's is dropped from one).
    const forgeries: [Record<string, unknown>, KeyWrapper[]][] = [
      [{ ...doc, generation: 2 }, [a, b]],
      [{ ...doc, generation: 2, keys: [doc.keys[0]] }, [a]],
      [{ ...doc, generation: 2, keys: [{ ...doc.keys[1], label: 'use me' }, doc.keys[0]] }, [a, b]],
    ];
    for (const [forged, holders] of forgeries) {
      await storage.delete(`${full.id}/ENCRYPTION_INFO-2`);
      await writeObject(
        storage,
        `${full.id}/ENCRYPTION_INFO-2`,
        new TextEncoder().encode(JSON.stringify(forged)),
      );
      for (const key of holders) {
        await expect(
          restore({ collection: storage, keys: [key], target: memoryTarget() }),
        ).rejects.toMatchObject({
          code: 'ERR_MANIFEST_NOT_AUTHENTIC',
          file: `${full.id}/ENCRYPTION_INFO-2`,
        });
      }
      await expect(
        alter({ collection: storage, keys: [a], add: [testKeys().c] }),
      ).rejects.toMatchObject({
        code: 'ERR_MANIFEST_NOT_AUTHENTIC',
      });
    }
    // A generation a key holder writes (alter) authenticates.
    await storage.delete(`${full.id}/ENCRYPTION_INFO-2`);
    await alter({ collection: storage, keys: [a], remove: [b] });
    const target = memoryTarget();
    await restore({ collection: storage, keys: [a], target });
    expect(target.tree()).toEqual(tree);
  });

  it('a party that can only wrap under a key can still add a chain the key opens (a documented limit)', async () => {
    // Encrypt-only KMS rights, or an Azure key's public half, suffice to wrap: such a party with
    // storage write access can make a full backup of its own that LATEST then names. What it
    // cannot do: open any chain of the owner's, or add a key to one (that needs the data key).
    const storage = memoryStorage();
    const { a } = testKeys();
    const now = steppingClock();
    await backup({ collection: storage, keys: [a], entries: entriesOf(tree), now });
    await backup({
      collection: storage,
      keys: [a],
      entries: entriesOf({ 'a.txt': 'planted' }),
      now,
    });
    const target = memoryTarget();
    await restore({ collection: storage, keys: [a], target });
    expect(target.tree()).toEqual({ 'a.txt': 'planted' });
  });
});
