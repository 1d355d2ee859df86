import { memoryStorage, type Storage, StorageError } from '@sealstream/storage';
import { describe, expect, it } from 'vitest';
import type { BackupEntry } from './BackupSource.ts';
import { backup } from './backup.ts';
import { forget } from './forget.ts';
import { list } from './list.ts';
import { DEFAULT_MIN_AGE_MS, prune } from './prune.ts';
import { restore } from './restore.ts';
import { entriesOf, memoryTarget, testKeys } from './testing/testkit.ts';
import { verify } from './verify.ts';

const keys = testKeys();
/** A clock past the default minimum age: every file written so far counts as an old leftover. */
const later = () => new Date(Date.now() + DEFAULT_MIN_AGE_MS + 60_000);

async function keysOf(storage: Storage, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for await (const o of storage.list(prefix)) out.push(o.key);
  return out;
}

const random = (n: number) => {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(b.subarray(i, Math.min(n, i + 65536)));
  return b;
};

/**
 * A backup that writes a data pack, then waits: `release()` lets it finish, `fail()` makes its
 * source fail (it dies before its commit point, like a killed process).
 */
async function pausedBackup(storage: Storage, incremental?: string) {
  const packsBefore = (await keysOf(storage)).filter((k) => k.includes('/packs/')).length;
  let go: (ok: boolean) => void = () => {};
  const gate = new Promise<boolean>((resolve) => (go = resolve));
  const bytes = random(200_000);
  async function* entries(): AsyncGenerator<BackupEntry> {
    yield {
      name: 'big.bin',
      type: 'file',
      size: bytes.length,
      mtime: Date.now(),
      open: () => new Blob([bytes]).stream(),
    };
    if (!(await gate)) throw new Error('source failed');
    yield* entriesOf({ 'late.txt': 'late' });
  }
  const done = backup({
    collection: storage,
    keys: [keys.a],
    entries: entries(),
    packBytes: 1,
    ...(incremental === undefined ? {} : { incremental }),
  });
  done.catch(() => {});
  for (let i = 0; i < 500; i++) {
    if ((await keysOf(storage)).filter((k) => k.includes('/packs/')).length > packsBefore) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  return {
    done,
    release: () => go(true),
    fail: async () => {
      go(false);
      await done.catch(() => {});
    },
  };
}

describe('prune', () => {
  it('leaves a backup in progress alone, and it commits', async () => {
    const storage = memoryStorage();
    const running = await pausedBackup(storage);
    const before = await keysOf(storage);
    expect(before.some((k) => k.includes('/packs/'))).toBe(true);
    expect(before.some((k) => k.endsWith('/SNAPSHOT'))).toBe(false);
    const r = await prune({ collection: storage });
    expect(r.items).toHaveLength(1);
    expect(r.items[0]).toMatchObject({ kind: 'unfinished-chain', remove: false });
    expect(r.items[0]?.reason).toMatch(/younger than the minimum age \(24h\)/);
    expect(r.removed).toEqual({ files: 0, bytes: 0 });
    expect(await keysOf(storage)).toEqual(before);
    running.release();
    const result = await running.done;
    const target = memoryTarget();
    await restore({ collection: storage, keys: [keys.a], target });
    expect(Object.keys(target.tree()).sort()).toEqual(['big.bin', 'late.txt']);
    expect((await list({ collection: storage })).map((b) => b.id)).toEqual([result.id]);
  });

  it('deletes the files of an unfinished full backup once older than the minimum age', async () => {
    const storage = memoryStorage();
    const kept = await backup({
      collection: storage,
      keys: [keys.a],
      entries: entriesOf({ a: 'a' }),
    });
    await new Promise((r) => setTimeout(r, 20));
    const dead = await pausedBackup(storage);
    await dead.fail();
    const leftovers = (await keysOf(storage)).filter((k) => !k.startsWith(`${kept.id}/`));
    expect(leftovers.filter((k) => !k.startsWith('latest/')).length).toBeGreaterThan(1);
    const young = await prune({ collection: storage });
    expect(young.items.map((i) => [i.kind, i.remove])).toEqual([['unfinished-chain', false]]);

    const dry = await prune({ collection: storage, now: later, dryRun: true });
    expect(dry.items.map((i) => [i.kind, i.remove])).toEqual([['unfinished-chain', true]]);
    expect(dry.removed.files).toBe(leftovers.filter((k) => !k.startsWith('latest/')).length);
    expect(await keysOf(storage)).toContain(leftovers.find((k) => k.includes('/packs/')));

    const r = await prune({ collection: storage, now: later });
    expect(r.removed).toEqual(dry.removed);
    expect((await keysOf(storage)).filter((k) => !k.startsWith('latest/'))).toEqual(
      await keysOf(storage, `${kept.id}/`),
    );
    // A smaller minimum age is honoured too.
    expect((await prune({ collection: storage, minAge: 0 })).items).toEqual([]);
    await verify({ collection: storage, keys: [keys.a] });
  });

  it('finishes a chain deletion that forget did not', async () => {
    const inner = memoryStorage();
    const now = (iso: string) => () => new Date(iso);
    const old = await backup({
      collection: inner,
      keys: [keys.a],
      entries: entriesOf({ a: 'a' }),
      now: now('2026-11-01T10:00:00Z'),
    });
    await backup({
      collection: inner,
      keys: [keys.a],
      entries: entriesOf({ b: 'b' }),
      now: now('2026-11-02T10:00:00Z'),
    });
    let deletes = 0;
    const crashing: Storage = {
      ...inner,
      async delete(key) {
        if (++deletes > 2) throw new Error('crash');
        await inner.delete(key);
      },
    };
    await expect(forget({ collection: crashing, last: 1 })).rejects.toThrow('crash');
    const r = await prune({ collection: inner, now: later });
    expect(r.items.map((i) => [i.kind, i.id, i.remove])).toEqual([
      ['unfinished-chain', old.id, true],
    ]);
    expect(await keysOf(inner, `${old.id}/`)).toEqual([]);
  });

  it('deletes an unclaimed incremental snapshot once a later layer holds its place', async () => {
    const inner = memoryStorage();
    const full = await backup({
      collection: inner,
      keys: [keys.a],
      entries: entriesOf({ a: 'a' }),
    });
    let refuseClaims = true;
    const noClaims: Storage = {
      ...inner,
      async write(key, options) {
        if (refuseClaims && key.includes('/next/'))
          throw new StorageError('ERR_STORAGE_EXISTS', 'claimed', {
            driver: 'memory',
            uri: 'memory:',
            key,
          });
        return inner.write(key, options);
      },
    };
    await new Promise((r) => setTimeout(r, 20));
    await expect(
      backup({
        collection: noClaims,
        keys: [keys.a],
        entries: entriesOf({ b: 'b' }),
        incremental: true,
      }),
    ).rejects.toMatchObject({ code: 'ERR_BACKUP_CONFLICT' });
    const orphan = (await keysOf(inner)).find((k) => k.includes('/incrementals/')) as string;
    // No later layer: its backup may still claim the place after the full backup.
    const pending = await prune({ collection: inner, now: later });
    expect(pending.items).toMatchObject([
      { kind: 'unclaimed-layer', id: orphan.slice(0, -'/SNAPSHOT'.length), remove: false },
    ]);
    expect(pending.items[0]?.reason).toMatch(/may still claim/);
    refuseClaims = false;
    await new Promise((r) => setTimeout(r, 20));
    const next = await backup({
      collection: inner,
      keys: [keys.a],
      entries: entriesOf({ c: 'c' }),
      incremental: true,
    });
    const young = await prune({ collection: inner });
    expect(young.items.map((i) => i.remove)).toEqual([false]);
    const r = await prune({ collection: inner, now: later });
    expect(r.items.map((i) => [i.kind, i.remove])).toEqual([['unclaimed-layer', true]]);
    expect(await keysOf(inner)).not.toContain(orphan);
    expect((await list({ collection: inner })).map((b) => b.id)).toEqual([full.id, next.id]);
    await verify({ collection: inner, keys: [keys.a] });
  });

  it('keeps an unclaimed snapshot older than its full backup (a skewed clock) while the place is free', async () => {
    const inner = memoryStorage();
    const full = await backup({
      collection: inner,
      keys: [keys.a],
      entries: entriesOf({ a: 'a' }),
      now: () => new Date('2026-11-02T10:00:00Z'),
    });
    const noClaims: Storage = {
      ...inner,
      async write(key, options) {
        if (key.includes('/next/'))
          throw new StorageError('ERR_STORAGE_EXISTS', 'claimed', {
            driver: 'memory',
            uri: 'memory:',
            key,
          });
        return inner.write(key, options);
      },
    };
    await expect(
      backup({
        collection: noClaims,
        keys: [keys.a],
        entries: entriesOf({ b: 'b' }),
        incremental: full.id,
        now: () => new Date('2026-11-02T09:00:00Z'),
      }),
    ).rejects.toMatchObject({ code: 'ERR_BACKUP_CONFLICT' });
    const r = await prune({ collection: inner, now: later });
    expect(r.items).toMatchObject([{ kind: 'unclaimed-layer', remove: false }]);
  });

  it('with a key, finds packs no layer references; deletes them only when asked', async () => {
    const storage = memoryStorage();
    const full = await backup({
      collection: storage,
      keys: [keys.a],
      entries: entriesOf({ a: 'a' }),
    });
    const dead = await pausedBackup(storage, full.id);
    await dead.fail();
    const packs = (await keysOf(storage, `${full.id}/packs/`)).length;

    const keyless = await prune({ collection: storage, now: later });
    expect(keyless.items).toEqual([]);
    expect(keyless.unchecked).toEqual([full.id]);

    const wrongKey = await prune({ collection: storage, now: later, keys: [keys.b] });
    expect(wrongKey.unchecked).toEqual([full.id]);

    const reported = await prune({ collection: storage, now: later, keys: [keys.a] });
    expect(reported.unchecked).toEqual([]);
    expect(reported.items.length).toBeGreaterThan(0);
    for (const i of reported.items) {
      expect(i).toMatchObject({ kind: 'unreferenced-pack', remove: false });
      expect(i.reason).toMatch(/--unreferenced-packs/);
    }
    const young = await prune({ collection: storage, keys: [keys.a], unreferencedPacks: true });
    expect(young.items.every((i) => !i.remove)).toBe(true);

    const r = await prune({
      collection: storage,
      now: later,
      keys: [keys.a],
      unreferencedPacks: true,
    });
    expect(r.items.every((i) => i.remove)).toBe(true);
    expect((await keysOf(storage, `${full.id}/packs/`)).length).toBe(packs - r.items.length);
    await verify({ collection: storage, keys: [keys.a] });
    expect((await prune({ collection: storage, now: later, keys: [keys.a] })).items).toEqual([]);
  });

  it('checks its options', async () => {
    const storage = memoryStorage();
    await expect(prune({ collection: storage, unreferencedPacks: true })).rejects.toMatchObject({
      code: 'ERR_BACKUP_NO_KEY',
    });
    await expect(prune({ collection: storage, minAge: '1m' })).rejects.toMatchObject({
      code: 'ERR_BACKUP_BAD_ARGUMENT',
    });
    await expect(prune({ collection: storage, minAge: -1 })).rejects.toMatchObject({
      code: 'ERR_BACKUP_BAD_ARGUMENT',
    });
    expect((await prune({ collection: storage, minAge: '2h' })).minAgeMs).toBe(7_200_000);
  });
});
