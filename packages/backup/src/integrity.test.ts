import { memoryStorage, type Storage, type WriteOptions } from '@sealstream/storage';
import { collect } from '@sealstream/streams';
import { describe, expect, it } from 'vitest';
import { backup } from './backup.ts';
import { list } from './list.ts';
import { restore } from './restore.ts';
import { show } from './show.ts';
import {
  dump,
  entriesOf,
  memoryTarget,
  normal,
  steppingClock,
  testKeys,
} from './testing/testkit.ts';
import { verify } from './verify.ts';

/** Bytes that do not compress, so sealed sizes follow plaintext sizes. */
function noise(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const tree = { 'a.bin': noise(5000, 1), 'b.bin': noise(4000, 2) };
const isPack = (k: string) => k.includes('/packs/');

async function overwrite(
  storage: Storage,
  key: string,
  edit: (b: Uint8Array) => Uint8Array,
): Promise<void> {
  const bytes = edit(await collect(await storage.read(key)));
  await storage.delete(key);
  const w = (await storage.write(key)).getWriter();
  await w.write(bytes);
  await w.close();
}

const flip = (at: (b: Uint8Array) => number) => (b: Uint8Array) => {
  const c = b.slice();
  const i = at(c);
  c[i] = (c[i] as number) ^ 1;
  return c;
};

/** The collection's packs, largest first (with incompressible files: the data pack, then trees). */
async function packs(storage: Storage): Promise<string[]> {
  const files = [...(await dump(storage)).entries()].filter(([k]) => isPack(k));
  return files.sort((x, y) => y[1].length - x[1].length).map(([k]) => k);
}

describe('corruption of any file of a backup', () => {
  for (const [label, pick, edit] of [
    [
      'ENCRYPTION_INFO (a wrapped key)',
      (k: string) => k.endsWith('/ENCRYPTION_INFO'),
      (b: Uint8Array) =>
        new TextEncoder().encode(
          new TextDecoder()
            .decode(b)
            .replace(/"wrapped": "(.)/, (_m, c) => `"wrapped": "${c === 'A' ? 'B' : 'A'}`),
        ),
    ],
    [
      'ENCRYPTION_INFO (syntax)',
      (k: string) => k.endsWith('/ENCRYPTION_INFO'),
      (b: Uint8Array) => b.subarray(0, b.length - 5),
    ],
    [
      'the snapshot (a byte in the middle)',
      (k: string) => k.endsWith('/SNAPSHOT'),
      flip((b) => b.length >> 1),
    ],
    [
      'the snapshot (truncated)',
      (k: string) => k.endsWith('/SNAPSHOT'),
      (b: Uint8Array) => b.subarray(0, b.length - 1),
    ],
  ] as const) {
    it(`${label}: a typed error naming the file; nothing written`, async () => {
      const storage = memoryStorage();
      const { a } = testKeys();
      await backup({ collection: storage, keys: [a], entries: entriesOf(tree) });
      const key = [...(await dump(storage)).keys()].find(pick) as string;
      expect(key).toBeDefined();
      await overwrite(storage, key, edit);
      const target = memoryTarget();
      const err = await restore({ collection: storage, keys: [a], target, concurrency: 1 }).catch(
        (e) => e,
      );
      expect(err.code).toMatch(/^ERR_/);
      expect(err.file).toBe(key);
      expect(err.message).toContain(key);
      expect(target.tree()).toEqual({});
      expect(target.finished).toBe(false);
      await expect(verify({ collection: storage, keys: [a] })).rejects.toMatchObject({ file: key });
    });
  }

  for (const [which, index] of [
    ['the data pack', 0],
    ['the tree pack', 1],
  ] as const) {
    for (const [label, edit] of [
      ['a byte in the middle', flip((b) => b.length >> 1)],
      ['a byte at the start', flip(() => 0)],
      ['the last byte', flip((b) => b.length - 1)],
      ['truncated', (b: Uint8Array) => b.subarray(0, b.length - 20)],
      ['bytes appended', (b: Uint8Array) => new Uint8Array([...b, 0])],
    ] as const) {
      it(`${which}, ${label}: a typed error naming the pack; no partial file presented as complete`, async () => {
        const storage = memoryStorage();
        const { a } = testKeys();
        await backup({ collection: storage, keys: [a], entries: entriesOf(tree) });
        const all = await packs(storage);
        expect(all).toHaveLength(2);
        const key = all[index] as string;
        await overwrite(storage, key, edit);
        const target = memoryTarget();
        const err = await restore({ collection: storage, keys: [a], target, concurrency: 1 }).catch(
          (e) => e,
        );
        expect(err.code).toMatch(/^ERR_/);
        expect(err.file).toBe(key);
        expect(err.message).toContain(key);
        expect(target.partial.size).toBe(0);
        expect(target.finished).toBe(false);
        // Once it was handed anything, the target was asked to finish what it writes in the
        // background.
        expect(target.settled).toBe(target.touched ? 1 : 0);
        await expect(verify({ collection: storage, keys: [a] })).rejects.toMatchObject({
          code: expect.stringMatching(/^ERR_/),
          file: key,
        });
      });
    }
  }

  it('fails a file of many chunks read ahead at the damaged one, and with ignoreErrors restores the rest', async () => {
    const storage = memoryStorage();
    const { a } = testKeys();
    // About 3 MiB: several chunks, read ahead while the ones before are written.
    const files = { 'big.bin': noise(3 << 20, 5), 'small.bin': noise(2000, 6) };
    await backup({ collection: storage, keys: [a], entries: entriesOf(files) });
    const key = (await packs(storage))[0] as string;
    // A byte in the middle of the data pack: inside one of big.bin's chunks (small.bin's is 2 KB).
    await overwrite(
      storage,
      key,
      flip((b) => b.length >> 1),
    );
    const target = memoryTarget();
    await expect(restore({ collection: storage, keys: [a], target })).rejects.toMatchObject({
      code: 'ERR_AEAD_TAMPERED',
      file: key,
    });
    expect(target.bytes('big.bin')).toBeUndefined();
    expect(target.partial.size).toBe(0);
    const lenient = memoryTarget();
    const done = await restore({
      collection: storage,
      keys: [a],
      target: lenient,
      ignoreErrors: true,
    });
    expect(done.failed).toMatchObject([{ path: 'big.bin', code: 'ERR_AEAD_TAMPERED' }]);
    expect(lenient.bytes('big.bin')).toBeUndefined();
    expect(lenient.bytes('small.bin')).toEqual(files['small.bin']);
  });

  it('detects two equal-sized chunks swapped inside a pack', async () => {
    const storage = memoryStorage();
    const { a } = testKeys();
    const twins = { 'x.bin': noise(3000, 3), 'y.bin': noise(3000, 4) };
    await backup({ collection: storage, keys: [a], entries: entriesOf(twins) });
    const key = (await packs(storage))[0] as string;
    const pack = (await dump(storage)).get(key) as Uint8Array;
    const indexLength = new DataView(pack.buffer, pack.byteOffset).getUint32(pack.length - 12);
    const half = (pack.length - 12 - indexLength) / 2;
    expect(Number.isInteger(half)).toBe(true);
    await overwrite(
      storage,
      key,
      () =>
        new Uint8Array([
          ...pack.subarray(half, 2 * half),
          ...pack.subarray(0, half),
          ...pack.subarray(2 * half),
        ]),
    );
    const target = memoryTarget();
    await expect(restore({ collection: storage, keys: [a], target })).rejects.toMatchObject({
      code: 'ERR_AEAD_TAMPERED',
      file: key,
    });
    expect(target.partial.size).toBe(0);
    await expect(verify({ collection: storage, keys: [a] })).rejects.toMatchObject({
      code: 'ERR_AEAD_TAMPERED',
      file: key,
    });
  });

  it('detects packs swapped between places, and a pack of another chain', async () => {
    const storage = memoryStorage();
    const { a } = testKeys();
    const now = steppingClock();
    await backup({ collection: storage, keys: [a], entries: entriesOf(tree), now });
    const [p1, p2] = (await packs(storage)) as [string, string];
    const bytes = await dump(storage);
    await overwrite(storage, p1, () => bytes.get(p2) as Uint8Array);
    await overwrite(storage, p2, () => bytes.get(p1) as Uint8Array);
    await expect(verify({ collection: storage, keys: [a] })).rejects.toMatchObject({
      code: 'ERR_AEAD_KEY_MISMATCH',
    });
    // A data pack of another chain (same key, same files) put in place of this chain's.
    const other = memoryStorage();
    await backup({ collection: other, keys: [a], entries: entriesOf(tree), now });
    const foreign = (await dump(other)).get((await packs(other))[0] as string) as Uint8Array;
    const fresh = memoryStorage();
    await backup({ collection: fresh, keys: [a], entries: entriesOf(tree), now });
    const mine = (await packs(fresh))[0] as string;
    await overwrite(fresh, mine, () => foreign);
    await expect(
      restore({ collection: fresh, keys: [a], target: memoryTarget() }),
    ).rejects.toMatchObject({ code: 'ERR_AEAD_KEY_MISMATCH', file: mine });
  });

  it('detects a layer dropped from a chain, and a snapshot copied to another layer', async () => {
    const storage = memoryStorage();
    const { a } = testKeys();
    const now = steppingClock();
    await backup({ collection: storage, keys: [a], entries: entriesOf(tree), now });
    const i1 = await backup({
      collection: storage,
      keys: [a],
      entries: entriesOf({ ...tree, 'c.txt': 'c' }),
      incremental: true,
      now,
    });
    const i2 = await backup({
      collection: storage,
      keys: [a],
      entries: entriesOf({ ...tree, 'd.txt': 'd' }),
      incremental: true,
      now,
    });
    const files = await dump(storage);
    // The middle layer's snapshot copied over the newest one: it names another layer.
    await overwrite(
      storage,
      `${i2.id}/SNAPSHOT`,
      () => files.get(`${i1.id}/SNAPSHOT`) as Uint8Array,
    );
    await expect(
      restore({ collection: storage, keys: [a], target: memoryTarget() }),
    ).rejects.toMatchObject({
      code: 'ERR_AEAD_KEY_MISMATCH',
      file: `${i2.id}/SNAPSHOT`,
    });
    await overwrite(
      storage,
      `${i2.id}/SNAPSHOT`,
      () => files.get(`${i2.id}/SNAPSHOT`) as Uint8Array,
    );
    // The middle layer deleted: the newest one names a parent that is not the layer before it.
    await storage.delete(`${i1.id}/SNAPSHOT`);
    for (const run of [
      () => restore({ collection: storage, keys: [a], target: memoryTarget() }),
      () => verify({ collection: storage, keys: [a] }),
      () => show({ collection: storage, keys: [a] }),
      () =>
        backup({
          collection: storage,
          keys: [a],
          entries: entriesOf(tree),
          incremental: true,
          now,
        }),
    ])
      await expect(run()).rejects.toMatchObject({ code: expect.stringMatching(/^ERR_MANIFEST_/) });
  });
});

/** A storage that fails the n-th write (counting every write) while it is in progress. */
function failingOn(inner: Storage, n: number): Storage {
  let count = 0;
  return {
    ...inner,
    driver: inner.driver,
    redactedUri: inner.redactedUri,
    capabilities: inner.capabilities,
    read: inner.read.bind(inner),
    stat: inner.stat.bind(inner),
    list: inner.list.bind(inner),
    delete: inner.delete.bind(inner),
    async write(key, options) {
      const w = await inner.write(key, options);
      if (++count !== n) return w;
      const writer = w.getWriter();
      return new WritableStream({
        async write() {
          await writer.abort(new Error('disk on fire'));
          throw new Error('disk on fire');
        },
        async close() {
          await writer.abort(new Error('disk on fire'));
          throw new Error('disk on fire');
        },
      });
    },
  };
}

describe('the commit protocol', () => {
  it('a failure at any write leaves earlier backups, LATEST and the collection listing intact', async () => {
    const base = memoryStorage();
    const { a } = testKeys();
    const now = steppingClock();
    const first = await backup({ collection: base, keys: [a], entries: entriesOf(tree), now });
    // A full backup writes ENCRYPTION_INFO, a data pack, a tree pack, the snapshot and a LATEST
    // pointer: fail each in turn.
    const writes = 5;
    for (let n = 1; n <= writes; n++) {
      const before = await list({ collection: base });
      const err = await backup({
        collection: failingOn(base, n),
        keys: [a],
        entries: entriesOf({ ...tree, 'c.txt': 'c' }),
        now,
        concurrency: 1,
      }).catch((e) => e);
      expect(err, `write #${n}`).toBeInstanceOf(Error);
      // Up to the snapshot the attempt is invisible. When only the LATEST pointer fails (the
      // last write) the backup is committed and listed, but LATEST still names the old one.
      if (n < writes) expect(await list({ collection: base }), `write #${n}`).toEqual(before);
      else {
        const after = await list({ collection: base });
        expect(after).toHaveLength(before.length + 1);
        expect(after.filter((b) => b.latest)).toEqual(before.filter((b) => b.latest));
      }
      const target = memoryTarget();
      const r = await restore({ collection: base, keys: [a], target });
      expect(r.full, `write #${n}`).toBe(first.id);
      expect(target.tree()).toEqual(normal(tree));
    }
    // Incremental: failing its data pack, tree pack, snapshot or claim leaves the chain as it
    // was, and the next incremental (which loads the chain's packs, leftovers included) works.
    for (let n = 1; n <= 4; n++) {
      const layers = (await show({ collection: base, keys: [a] })).layers.length;
      await expect(
        backup({
          collection: failingOn(base, n),
          keys: [a],
          entries: entriesOf({ ...tree, 'z.txt': `z${n}` }),
          incremental: true,
          now,
        }),
      ).rejects.toThrow();
      expect((await show({ collection: base, keys: [a] })).layers).toHaveLength(layers);
    }
    const next = await backup({
      collection: base,
      keys: [a],
      entries: entriesOf({ ...tree, 'z.txt': 'z' }),
      incremental: true,
      now,
    });
    const target = memoryTarget();
    await restore({ collection: base, keys: [a], target, backup: next.id });
    expect(target.tree()).toEqual(normal({ ...tree, 'z.txt': 'z' }));
    await verify({ collection: base, keys: [a] });
  });

  it('two backups claiming the same id: one wins, the other fails cleanly', async () => {
    const storage = memoryStorage();
    const { a } = testKeys();
    const fixed = () => new Date(Date.UTC(2026, 0, 1));
    const results = await Promise.allSettled([
      backup({ collection: storage, keys: [a], entries: entriesOf({ x: 'one' }), now: fixed }),
      backup({ collection: storage, keys: [a], entries: entriesOf({ x: 'two' }), now: fixed }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(failed.reason).toMatchObject({ code: 'ERR_BACKUP_CONFLICT' });
    const target = memoryTarget();
    await restore({ collection: storage, keys: [a], target });
    expect(['one', 'two']).toContain(target.tree().x);
  });

  it('incrementals racing for one chain: exactly one joins it, the others fail cleanly', async () => {
    const storage = memoryStorage();
    const { a } = testKeys();
    const now = steppingClock();
    await backup({ collection: storage, keys: [a], entries: entriesOf(tree), now });
    // Different clocks, so different layer ids: each commits its snapshot, one wins the claim.
    const at = (ms: number) => () => new Date(Date.UTC(2026, 10, 28, 2, 0, 0, ms));
    // The racers race: none writes its snapshot before all have read the chain's head and
    // reached that point (else a fast one could commit first and a slow one join after it).
    const racing = snapshotBarrier(storage, 4);
    const results = await Promise.allSettled(
      [0, 10, 20, 30].map((ms, i) =>
        backup({
          collection: racing,
          keys: [a],
          entries: entriesOf({ ...tree, [`racer${i}.txt`]: `racer ${i}` }),
          incremental: true,
          now: at(ms),
        }),
      ),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of results)
      if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'ERR_BACKUP_CONFLICT' });
    const winner = (won[0] as PromiseFulfilledResult<{ id: string }>).value.id;
    const layers = (await list({ collection: storage })).map((b) => b.id);
    expect(layers).toHaveLength(2);
    expect(layers[1]).toBe(winner);
    // The losers' snapshots are not in the chain; the chain goes on from the winner.
    const next = await backup({
      collection: storage,
      keys: [a],
      entries: entriesOf({ ...tree, 'after.txt': 'after' }),
      incremental: true,
      now: at(1000),
    });
    expect((await show({ collection: storage, keys: [a] })).layers.map((l) => l.id)).toEqual([
      layers[0],
      winner,
      next.id,
    ]);
    await verify({ collection: storage, keys: [a] });
  });

  it('a locality whose destination is missing is named before anything is written', async () => {
    const main = memoryStorage();
    const west = memoryStorage('memory:west');
    const { a } = testKeys();
    await backup({
      collection: { default: main, 'region=west': west },
      keys: [a],
      entries: entriesOf({ logs: { dir: true }, 'logs/x': 'west data', y: 'main data' }),
      locality: (name) => (name.startsWith('logs/') ? 'region=west' : 'default'),
    });
    // The west destination holds one data pack (the chunk of logs/x) and nothing else.
    expect([...(await dump(west)).keys()].every(isPack)).toBe(true);
    expect((await dump(west)).size).toBe(1);
    expect(
      [...(await dump(main)).values()].some((b) =>
        new TextDecoder().decode(b).includes('west data'),
      ),
    ).toBe(false);
    const target = memoryTarget();
    const err = await restore({ collection: main, keys: [a], target }).catch((e) => e);
    expect(err).toMatchObject({ code: 'ERR_BACKUP_LOCALITY_MISSING' });
    expect(err.message).toContain('region=west');
    expect(target.tree()).toEqual({});
    const ok = memoryTarget();
    await restore({ collection: { default: main, 'region=west': west }, keys: [a], target: ok });
    expect(ok.tree()).toEqual({ logs: { dir: true }, 'logs/x': 'west data', y: 'main data' });
  });
});

/**
 * `storage`, except that a write of a layer's SNAPSHOT waits until `n` of them are waiting (or
 * 5 s have passed), then all go on together.
 */
function snapshotBarrier(storage: Storage, n: number): Storage {
  let waiting = 0;
  let release!: () => void;
  const all = new Promise<void>((resolve) => {
    release = resolve;
  });
  const timer = setTimeout(() => release(), 5000);
  return new Proxy(storage, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (prop !== 'write') return typeof value === 'function' ? value.bind(target) : value;
      return async (key: string, options?: WriteOptions) => {
        if (key.endsWith('/SNAPSHOT')) {
          if (++waiting === n) {
            clearTimeout(timer);
            release();
          }
          await all;
        }
        return target.write(key, options);
      };
    },
  });
}
