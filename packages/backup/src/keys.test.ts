import { memoryStorage } from '@sealstream/storage';
import { describe, expect, it } from 'vitest';
import { alter } from './alter.ts';
import { backup } from './backup.ts';
import { restore } from './restore.ts';
import { show } from './show.ts';
import { dump, entriesOf, memoryTarget, steppingClock, testKeys } from './testing/testkit.ts';

const tree = { 'a.txt': 'secret payload' };

describe('keys of a chain', () => {
  it('restores with each of three keys alone, and with a passphrase', async () => {
    const storage = memoryStorage();
    const { a, b, c, pass } = testKeys();
    await backup({
      into: storage,
      keys: [a, b, c, pass('hunter2 hunter2')],
      entries: entriesOf(tree),
    });
    for (const k of [a, b, c, pass('hunter2 hunter2')]) {
      const target = memoryTarget();
      const r = await restore({ from: storage, keys: [k], target });
      expect(target.tree()).toEqual(tree);
      expect(r.openedWith).toBe(k.redactedUri);
    }
  });

  it('names every key that failed when none opens the backup', async () => {
    const storage = memoryStorage();
    const { a, b, c, pass } = testKeys();
    await backup({ into: storage, keys: [a, pass('right passphrase')], entries: entriesOf(tree) });
    const err = await restore({
      from: storage,
      keys: [b, pass('Tr0ub4dor&3-not-it')],
      target: memoryTarget(),
    }).catch((e) => e);
    expect(err).toMatchObject({ code: 'ERR_BACKUP_NO_KEY' });
    expect(err.message).toContain(b.redactedUri);
    expect(err.message).toContain('passphrase');
    expect(err.message).not.toContain('Tr0ub4dor');
    // A working key after a failing one still opens it, and the failure is reported.
    const r = await restore({ from: storage, keys: [c, a], target: memoryTarget() });
    expect(r.openedWith).toBe(a.redactedUri);
    expect(r.keyFailures.map((f) => f.uri)).toEqual([c.redactedUri]);
  });

  it('lets an incremental use a subset of the full backup keys, never a new one', async () => {
    const storage = memoryStorage();
    const { a, b, c } = testKeys();
    const now = steppingClock();
    await backup({ into: storage, keys: [a, b], entries: entriesOf(tree), now });
    await backup({
      into: storage,
      keys: [b],
      entries: entriesOf({ ...tree, 'n.txt': 'new' }),
      incremental: true,
      now,
    });
    const err = await backup({
      into: storage,
      keys: [a, c],
      entries: entriesOf(tree),
      incremental: true,
      now,
    }).catch((e) => e);
    expect(err).toMatchObject({ code: 'ERR_BACKUP_NEW_KEY' });
    expect(err.message).toContain(c.redactedUri);
    // Restoring the incremental works with the other key of the full backup.
    const target = memoryTarget();
    await restore({ from: storage, keys: [a], target });
    expect(target.tree()).toEqual({ ...tree, 'n.txt': 'new' });
  });

  it('alter adds a key that then opens the whole chain, and accepts it for new incrementals', async () => {
    const storage = memoryStorage();
    const { a, b, c } = testKeys();
    const now = steppingClock();
    const full = await backup({ into: storage, keys: [a], entries: entriesOf(tree), now });
    const inc = await backup({
      into: storage,
      keys: [a],
      entries: entriesOf({ ...tree, x: 'x' }),
      incremental: true,
      now,
    });
    await expect(
      restore({ from: storage, keys: [b], target: memoryTarget() }),
    ).rejects.toMatchObject({ code: 'ERR_BACKUP_NO_KEY' });
    const r = await alter({ in: storage, keys: [a], add: [b, c] });
    expect(r).toMatchObject({
      full: full.id,
      generation: 2,
      added: [b.redactedUri, c.redactedUri],
    });
    for (const layer of [full.id, inc.id]) {
      const target = memoryTarget();
      await restore({ from: storage, keys: [b], target, asOf: layer });
      expect(Object.keys(target.tree()).length).toBeGreaterThan(0);
    }
    await backup({ into: storage, keys: [c], entries: entriesOf(tree), incremental: true, now });
    expect((await show({ in: storage, keys: [c] })).layers).toHaveLength(3);
    // The old generation is kept (append-only) when keys are only added.
    expect([...(await dump(storage)).keys()].filter((k) => k.includes('ENCRYPTION_INFO'))).toEqual([
      `${full.id}/ENCRYPTION_INFO`,
      `${full.id}/ENCRYPTION_INFO-2`,
    ]);
  });

  it('removes a key while another remains, and refuses to remove the last', async () => {
    const storage = memoryStorage();
    const { a, b } = testKeys();
    await backup({ into: storage, keys: [a, b], entries: entriesOf(tree) });
    await alter({ in: storage, keys: [a], remove: [b] });
    await expect(
      restore({ from: storage, keys: [b], target: memoryTarget() }),
    ).rejects.toMatchObject({ code: 'ERR_BACKUP_NO_KEY' });
    // The removed key's wrapped copy is gone from every file.
    const infos = [...(await dump(storage)).keys()].filter((k) => k.includes('ENCRYPTION_INFO'));
    expect(infos).toHaveLength(1);
    await expect(alter({ in: storage, keys: [a], remove: [a] })).rejects.toMatchObject({
      code: 'ERR_BACKUP_LAST_KEY',
    });
    const target = memoryTarget();
    await restore({ from: storage, keys: [a], target });
    expect(target.tree()).toEqual(tree);
  });

  it('never stores the passphrase or any key material', async () => {
    const storage = memoryStorage();
    const passphrase = 'Very-Unique-Passphrase-4711';
    const { a, pass } = testKeys();
    await backup({ into: storage, keys: [a, pass(passphrase)], entries: entriesOf(tree) });
    const haystack = [...(await dump(storage)).values()]
      .map((b) => new TextDecoder('latin1').decode(b))
      .join('\n');
    expect(haystack).not.toContain(passphrase);
    expect(haystack).not.toContain('secret payload');
  });
});
