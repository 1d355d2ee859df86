import { memoryStorage, type Storage } from '@sealstream/storage';
import { describe, expect, it } from 'vitest';
import { backup } from './backup.ts';
import { applyPolicy, forget, isoWeek, parseDuration } from './forget.ts';
import { list } from './list.ts';
import { restore } from './restore.ts';
import { entriesOf, memoryTarget, testKeys } from './testing/testkit.ts';

const keys = testKeys();
const at = (iso: string) => () => new Date(iso);

/**
 * Three chains: A (Nov 1 10:00 full, Nov 1 11:00 incremental), B (Nov 2 10:00 full, Nov 3
 * 10:00 incremental), C (Nov 5 10:00 full, LATEST).
 */
async function threeChains(storage: Storage) {
  const take = async (iso: string, incremental?: string) =>
    (
      await backup({
        collection: storage,
        keys: [keys.a],
        entries: entriesOf({ 'a.txt': `at ${iso}` }, { 'a.txt': Date.parse(iso) }),
        now: at(iso),
        ...(incremental === undefined ? {} : { incremental }),
      })
    ).id;
  const a = await take('2026-11-01T10:00:00Z');
  const a1 = await take('2026-11-01T11:00:00Z', a);
  const b = await take('2026-11-02T10:00:00Z');
  const b1 = await take('2026-11-03T10:00:00Z', b);
  const c = await take('2026-11-05T10:00:00Z');
  return { a, a1, b, b1, c };
}

async function keysUnder(storage: Storage, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const o of storage.list(prefix)) out.push(o.key);
  return out;
}

describe('forget', () => {
  it('keeps whole chains: a chain is kept when any of its layers is', async () => {
    const storage = memoryStorage();
    const { a, b, b1, c } = await threeChains(storage);
    const r = await forget({ collection: storage, daily: 2 });
    // Newest per day for the two newest days: Nov 5 (C) and Nov 3 (B's incremental).
    expect(r.layers.find((l) => l.id === c)?.reasons).toEqual(['latest', 'daily']);
    expect(r.layers.find((l) => l.id === b1)?.reasons).toEqual(['daily']);
    expect(r.layers.find((l) => l.id === b)).toMatchObject({ keep: true, reasons: [] });
    expect(r.chains.map((x) => [x.full, x.keep, x.keptBy])).toEqual([
      [c, true, [c]],
      [b, true, [b1]],
      [a, false, []],
    ]);
    expect(r.removed).toEqual([a]);
    expect(await keysUnder(storage, `${a.slice(0, 10)}/01-`)).toEqual([]);
    expect((await list({ collection: storage })).map((x) => x.id)).toEqual([b, b1, c]);
    const target = memoryTarget();
    await restore({ collection: storage, keys: [keys.a], backup: b1, target });
    expect(target.tree()).toEqual({ 'a.txt': 'at 2026-11-03T10:00:00Z' });
  });

  it('--dry-run decides the same and deletes nothing', async () => {
    const storage = memoryStorage();
    const { a, b, c } = await threeChains(storage);
    const before = await keysUnder(storage, '');
    const r = await forget({ collection: storage, last: 1, dryRun: true });
    expect(r.dryRun).toBe(true);
    expect(r.removed).toEqual([b, a]);
    expect(r.chains.filter((x) => x.keep).map((x) => x.full)).toEqual([c]);
    expect(await keysUnder(storage, '')).toEqual(before);
  });

  it('never deletes the chain LATEST points to', async () => {
    const storage = memoryStorage();
    const { a, b, c } = await threeChains(storage);
    const d = (
      await backup({
        collection: storage,
        keys: [keys.a],
        entries: entriesOf({ 'x.txt': 'x' }),
        now: at('2026-11-06T10:00:00Z'),
        latest: false,
      })
    ).id;
    const r = await forget({ collection: storage, last: 1 });
    expect(r.chains.filter((x) => x.keep).map((x) => [x.full, x.keptBy])).toEqual([
      [d, [d]],
      [c, [c]],
    ]);
    expect(r.layers.find((l) => l.id === c)?.reasons).toEqual(['latest']);
    expect(r.removed).toEqual([b, a]);
    const target = memoryTarget();
    await restore({ collection: storage, keys: [keys.a], target });
    expect(target.tree()).toEqual({ 'a.txt': 'at 2026-11-05T10:00:00Z' });
  });

  it('keeps layers within a duration of the newest layer, not of now', async () => {
    const storage = memoryStorage();
    const { a, b, b1, c } = await threeChains(storage);
    const r = await forget({ collection: storage, within: '3d', dryRun: true });
    expect(r.layers.filter((l) => l.reasons.includes('within')).map((l) => l.id)).toEqual([
      c,
      b1,
      b,
    ]);
    expect(r.removed).toEqual([a]);
    const two = await forget({ collection: storage, within: '2d', dryRun: true });
    expect(two.removed).toEqual([a]); // Nov 3 10:00 is exactly 2 days before Nov 5 10:00
    const one = await forget({ collection: storage, within: '1d23h', dryRun: true });
    expect(one.removed).toEqual([b, a]);
  });

  it('a crash midway leaves the chain invisible, the others intact', async () => {
    const inner = memoryStorage();
    const { a, b, b1, c } = await threeChains(inner);
    let deletes = 0;
    const failing: Storage = {
      ...inner,
      async delete(key) {
        if (++deletes > 3) throw new Error('crash');
        await inner.delete(key);
      },
    };
    await expect(forget({ collection: failing, last: 3 })).rejects.toThrow('crash');
    expect((await list({ collection: inner })).map((x) => x.id)).toEqual([b, b1, c]);
    expect((await keysUnder(inner, `${a}/`)).length).toBeGreaterThan(0);
    expect(await keysUnder(inner, `${a}/SNAPSHOT`)).toEqual([]);
  });

  it('refuses to run without a policy, or with a bad one', async () => {
    const storage = memoryStorage();
    await threeChains(storage);
    await expect(forget({ collection: storage })).rejects.toMatchObject({
      code: 'ERR_BACKUP_BAD_ARGUMENT',
    });
    await expect(forget({ collection: storage, last: 0 })).rejects.toMatchObject({
      code: 'ERR_BACKUP_BAD_ARGUMENT',
    });
    await expect(forget({ collection: storage, last: -1 })).rejects.toMatchObject({
      code: 'ERR_BACKUP_BAD_ARGUMENT',
    });
    await expect(forget({ collection: storage, within: '3 days' })).rejects.toMatchObject({
      code: 'ERR_BACKUP_BAD_ARGUMENT',
    });
  });
});

describe('policies', () => {
  const layer = (iso: string, latest = false) => {
    const id = `x/${iso}`;
    return { id, full: id, type: 'full' as const, time: iso, latest };
  };

  it('buckets keep the newest layer of each of the newest N periods', () => {
    const layers = [
      layer('2026-12-31T23:00:00.000Z'),
      layer('2026-12-31T22:30:00.000Z'),
      layer('2026-12-31T22:10:00.000Z'),
      layer('2026-12-28T09:00:00.000Z'), // Monday: same ISO week as Dec 31
      layer('2026-12-27T09:00:00.000Z'), // Sunday: the week before
      layer('2026-11-15T09:00:00.000Z'),
      layer('2025-06-01T09:00:00.000Z'),
    ];
    const reasons = (policy: Parameters<typeof applyPolicy>[1]) =>
      applyPolicy(layers, policy).map((l) => l.reasons.join(','));
    expect(reasons({ hourly: 2 })).toEqual(['hourly', 'hourly', '', '', '', '', '']);
    expect(reasons({ daily: 3 })).toEqual(['daily', '', '', 'daily', 'daily', '', '']);
    expect(reasons({ weekly: 2 })).toEqual(['weekly', '', '', '', 'weekly', '', '']);
    expect(reasons({ monthly: 5 })).toEqual(['monthly', '', '', '', '', 'monthly', 'monthly']);
    expect(reasons({ yearly: 1, last: 2 })).toEqual(['last,yearly', 'last', '', '', '', '', '']);
  });

  it('ISO weeks and durations', () => {
    expect(isoWeek(new Date('2026-12-31T12:00:00Z'))).toEqual([2026, 53]);
    expect(isoWeek(new Date('2027-01-01T12:00:00Z'))).toEqual([2026, 53]);
    expect(isoWeek(new Date('2027-01-04T12:00:00Z'))).toEqual([2027, 1]);
    expect(isoWeek(new Date('2024-12-30T12:00:00Z'))).toEqual([2025, 1]);
    expect(parseDuration('1y6m2w3d12h')).toEqual({ years: 1, months: 6, days: 17, hours: 12 });
    expect(() => parseDuration('')).toThrow();
    expect(() => parseDuration('12')).toThrow();
    expect(() => parseDuration('h')).toThrow();
  });
});
