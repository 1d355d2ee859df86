import { memoryStorage, type Storage } from '@sealstream/storage';
import { collect } from '@sealstream/streams';
import { describe, expect, it } from 'vitest';
import { backup } from './backup.ts';
import { fullBackupId, incrementalBackupId } from './backupId.ts';
import { list } from './list.ts';
import { restore } from './restore.ts';
import { show } from './show.ts';
import { dump, entriesOf, memoryTarget, steppingClock, testKeys } from './testing/testkit.ts';
import { verify } from './verify.ts';

const tree = { 'a.txt': 'alpha'.repeat(1000), 'b.txt': 'beta'.repeat(1000) };

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
      'the manifest (a byte in the middle)',
      (k: string) => k.endsWith('/BACKUP_MANIFEST'),
      flip((b) => b.length >> 1),
    ],
    [
      'the manifest (truncated)',
      (k: string) => k.endsWith('/BACKUP_MANIFEST'),
      (b: Uint8Array) => b.subarray(0, b.length - 1),
    ],
  ] as const) {
    it(`${label}: a typed error naming the file; no partial file presented as complete`, async () => {
      const storage = memoryStorage();
      const { a } = testKeys();
      await backup({ into: storage, keys: [a], entries: entriesOf(tree), segmentSize: 1024 });
      const key = [...(await dump(storage)).keys()].find(pick) as string;
      expect(key).toBeDefined();
      await overwrite(storage, key, edit);
      const target = memoryTarget();
      const err = await restore({ from: storage, keys: [a], target, concurrency: 1 }).catch(
        (e) => e,
      );
      expect(err.code).toMatch(/^ERR_/);
      expect(err.file).toBe(key);
      expect(err.message).toContain(key);
      expect(target.partial.size).toBe(0);
      expect(target.finished).toBe(false);
      await expect(verify({ in: storage, keys: [a] })).rejects.toMatchObject({ file: key });
    });
  }

  // Each object in its own data file (packUpTo: 0), and both objects in one pack.
  for (const [layout, packUpTo, ext] of [
    ['own data files', 0, '.sst'],
    ['a pack', undefined, '.ssp'],
  ] as const) {
    for (const [label, pick, edit, restoreFails] of [
      ['a byte in the middle', 0, flip((b) => b.length >> 1), true],
      ['the last byte', 1, flip((b) => b.length - 1), true],
      ['truncated', 0, (b: Uint8Array) => b.subarray(0, b.length - 20), true],
      // Bytes after a pack's last object belong to no object: restore reads only its ranges
      // and is right to succeed; verify still reports the pack.
      ['bytes appended', 1, (b: Uint8Array) => new Uint8Array([...b, 0]), packUpTo === 0],
    ] as const) {
      it(`${layout}, ${label}: a typed error naming the file; no partial file presented as complete`, async () => {
        const storage = memoryStorage();
        const { a } = testKeys();
        await backup({
          into: storage,
          keys: [a],
          entries: entriesOf(tree),
          segmentSize: 1024,
          ...(packUpTo === undefined ? {} : { packUpTo }),
        });
        const data = [...(await dump(storage)).keys()].filter((k) => k.endsWith(ext)).sort();
        expect(data).toHaveLength(packUpTo === 0 ? 2 : 1);
        const key = (data[pick] ?? data[0]) as string;
        await overwrite(storage, key, edit);
        const target = memoryTarget();
        const err = await restore({ from: storage, keys: [a], target, concurrency: 1 }).then(
          () => undefined,
          (e) => e,
        );
        if (restoreFails) {
          expect(err.code).toMatch(/^ERR_/);
          expect(err.file).toBe(key);
          expect(err.message).toContain(key);
          expect(target.partial.size).toBe(0);
          expect(target.finished).toBe(false);
        } else {
          expect(err).toBeUndefined();
          expect(target.tree()).toEqual(tree);
        }
        await expect(verify({ in: storage, keys: [a] })).rejects.toMatchObject({
          code: expect.stringMatching(/^ERR_/),
          file: key,
        });
      });
    }
  }

  it('detects two equal-sized objects swapped inside a pack', async () => {
    const storage = memoryStorage();
    const { a } = testKeys();
    const twins = { 'x.txt': 'x'.repeat(3000), 'y.txt': 'y'.repeat(3000) };
    await backup({ into: storage, keys: [a], entries: entriesOf(twins) });
    const [[key, pack]] = [...(await dump(storage)).entries()].filter(([k]) =>
      k.endsWith('.ssp'),
    ) as [[string, Uint8Array]];
    const half = pack.length / 2;
    expect(Number.isInteger(half)).toBe(true);
    await overwrite(
      storage,
      key,
      () => new Uint8Array([...pack.subarray(half), ...pack.subarray(0, half)]),
    );
    await expect(verify({ in: storage, keys: [a] })).rejects.toMatchObject({
      code: 'ERR_AEAD_KEY_MISMATCH',
      file: key,
    });
  });

  it('detects data files swapped between objects', async () => {
    const storage = memoryStorage();
    const { a } = testKeys();
    await backup({ into: storage, keys: [a], entries: entriesOf(tree), packUpTo: 0 });
    const files = [...(await dump(storage)).entries()].filter(([k]) => k.endsWith('.sst'));
    const [[k1, b1], [k2, b2]] = files as [[string, Uint8Array], [string, Uint8Array]];
    await overwrite(storage, k1, () => b2);
    await overwrite(storage, k2, () => b1);
    await expect(verify({ in: storage, keys: [a] })).rejects.toMatchObject({
      code: 'ERR_AEAD_KEY_MISMATCH',
    });
  });

  it('detects a data file swapped with one whose layer and name join to the same path', async () => {
    // (layer F, object "incrementals/S/x") and (layer "F/incrementals/S", object "x").
    const storage = memoryStorage();
    const { a } = testKeys();
    const first = steppingClock()();
    const second = new Date(first.getTime() + 1000);
    const full = fullBackupId(first);
    const layer = incrementalBackupId(full, second);
    const stamp = layer.slice(layer.lastIndexOf('/') + 1);
    let current = first;
    const clock = () => current;
    await backup({
      into: storage,
      keys: [a],
      entries: entriesOf({ [`incrementals/${stamp}/x`]: 'the full backup holds this' }),
      packUpTo: 0,
      now: clock,
    });
    current = second;
    const inc = await backup({
      into: storage,
      keys: [a],
      entries: entriesOf({ x: 'the incremental holds that' }),
      incremental: true,
      packUpTo: 0,
      now: clock,
    });
    expect(inc.id).toBe(layer);
    const files = [...(await dump(storage)).entries()].filter(([k]) => k.endsWith('.sst'));
    expect(files).toHaveLength(2);
    const [[k1, b1], [k2, b2]] = files as [[string, Uint8Array], [string, Uint8Array]];
    await overwrite(storage, k1, () => b2);
    await overwrite(storage, k2, () => b1);
    for (const asOf of [full, layer]) {
      await expect(
        restore({ from: storage, keys: [a], target: memoryTarget(), asOf }),
      ).rejects.toMatchObject({ code: 'ERR_AEAD_KEY_MISMATCH' });
    }
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
    const first = await backup({ into: base, keys: [a], entries: entriesOf(tree), now });
    // With own data files this full backup writes ENCRYPTION_INFO, 3 data files, the manifest,
    // LATEST; packed, ENCRYPTION_INFO, one pack, the manifest, LATEST: fail each in turn.
    const runs = [
      ...[1, 2, 3, 4, 5, 6].map((n) => ({ n, packUpTo: 0, writes: 6 })),
      ...[1, 2, 3, 4].map((n) => ({ n, packUpTo: undefined, writes: 4 })),
    ];
    for (const { n, packUpTo, writes } of runs) {
      const before = await list({ in: base });
      const err = await backup({
        into: failingOn(base, n),
        keys: [a],
        entries: entriesOf({ ...tree, 'c.txt': 'c' }),
        now,
        concurrency: 1,
        ...(packUpTo === undefined ? {} : { packUpTo }),
      }).catch((e) => e);
      expect(err, `write #${n}`).toBeInstanceOf(Error);
      // Up to the manifest the attempt is invisible. When only the LATEST pointer fails (the
      // last write) the backup is committed and listed, but LATEST still names the old one.
      if (n < writes) expect(await list({ in: base }), `write #${n}`).toEqual(before);
      else {
        const after = await list({ in: base });
        expect(after).toHaveLength(before.length + 1);
        expect(after.filter((b) => b.latest)).toEqual(before.filter((b) => b.latest));
      }
      const target = memoryTarget();
      const r = await restore({ from: base, keys: [a], target });
      expect(r.full, `write #${n}`).toBe(first.id);
      expect(target.tree()).toEqual(tree);
    }
    // Incremental: failing its data or manifest leaves the chain as it was.
    for (let n = 1; n <= 2; n++) {
      const layers = (await show({ in: base, keys: [a] })).layers.length;
      await expect(
        backup({
          into: failingOn(base, n),
          keys: [a],
          entries: entriesOf({ 'z.txt': 'z' }),
          incremental: true,
          now,
        }),
      ).rejects.toThrow();
      expect((await show({ in: base, keys: [a] })).layers).toHaveLength(layers);
    }
  });

  it('two backups claiming the same id: one wins, the other fails cleanly', async () => {
    const storage = memoryStorage();
    const { a } = testKeys();
    const fixed = () => new Date(Date.UTC(2026, 0, 1));
    const results = await Promise.allSettled([
      backup({ into: storage, keys: [a], entries: entriesOf({ x: 'one' }), now: fixed }),
      backup({ into: storage, keys: [a], entries: entriesOf({ x: 'two' }), now: fixed }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(failed.reason).toMatchObject({ code: 'ERR_BACKUP_CONFLICT' });
    const target = memoryTarget();
    await restore({ from: storage, keys: [a], target });
    expect(['one', 'two']).toContain(target.tree().x);
  });

  it('a locality whose destination is missing is named before anything is written', async () => {
    const main = memoryStorage();
    const west = memoryStorage('memory:west');
    const { a } = testKeys();
    await backup({
      into: { default: main, 'region=west': west },
      keys: [a],
      entries: entriesOf({ 'logs/x': 'west data', y: 'main data' }),
      locality: (name) => (name.startsWith('logs/') ? 'region=west' : 'default'),
    });
    expect([...(await dump(west)).keys()].every((k) => k.includes('/data/'))).toBe(true);
    expect((await dump(west)).size).toBe(1);
    const target = memoryTarget();
    const err = await restore({ from: main, keys: [a], target }).catch((e) => e);
    expect(err).toMatchObject({ code: 'ERR_BACKUP_LOCALITY_MISSING' });
    expect(err.message).toContain('region=west');
    expect(target.tree()).toEqual({});
    const ok = memoryTarget();
    await restore({ from: { default: main, 'region=west': west }, keys: [a], target: ok });
    expect(ok.tree()).toEqual({ 'logs/x': 'west data', y: 'main data' });
  });
});
