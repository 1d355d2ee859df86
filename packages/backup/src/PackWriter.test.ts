import { memoryStorage } from '@sealstream/storage';
import { collect } from '@sealstream/streams';
import { describe, expect, it } from 'vitest';
import { backup } from './backup.ts';
import { PackWriter } from './PackWriter.ts';
import { readRange } from './readRange.ts';
import { restore } from './restore.ts';
import { dump, entriesOf, memoryTarget, steppingClock, testKeys } from './testing/testkit.ts';
import { verify } from './verify.ts';

const bytesOf = (n: number, seed: number) =>
  Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 255);

describe('PackWriter', () => {
  it('appends back to back, starts a new pack past the target, and commits on finish', async () => {
    const storage = memoryStorage();
    const packs = new PackWriter(storage, (n) => `b/data/t-p${n}.ssp`, 100);
    const slots = [];
    for (const n of [60, 30, 20, 5]) slots.push(await packs.add(bytesOf(n, n)));
    // 60 + 30 < 100, + 20 reaches it: the first pack holds three, the second one.
    expect(slots).toEqual([
      { path: 'b/data/t-p1.ssp', offset: 0 },
      { path: 'b/data/t-p1.ssp', offset: 60 },
      { path: 'b/data/t-p1.ssp', offset: 90 },
      { path: 'b/data/t-p2.ssp', offset: 0 },
    ]);
    await packs.finish();
    const files = await dump(storage);
    expect(files.get('b/data/t-p1.ssp')).toEqual(
      new Uint8Array([...bytesOf(60, 60), ...bytesOf(30, 30), ...bytesOf(20, 20)]),
    );
    expect(files.get('b/data/t-p2.ssp')).toEqual(bytesOf(5, 5));
  });

  it('abort leaves no pack being filled visible', async () => {
    const storage = memoryStorage();
    const packs = new PackWriter(storage, (n) => `b/data/t-p${n}.ssp`, 100);
    await packs.add(bytesOf(10, 1));
    await packs.abort(new Error('stop'));
    expect((await dump(storage)).size).toBe(0);
    await expect(packs.add(bytesOf(1, 1))).rejects.toThrow('stop');
  });
});

describe('backups with packs', () => {
  const many = Object.fromEntries(
    Array.from({ length: 40 }, (_, i) => [`d${i % 4}/f${i}.txt`, bytesOf(100 + i * 37, i)]),
  );

  it('packs small files into one object and restores, ranges and verifies each of them', async () => {
    const storage = memoryStorage();
    const { a } = testKeys();
    const r = await backup({ into: storage, keys: [a], entries: entriesOf(many) });
    expect(r.written.objects).toBe(40);
    const data = [...(await dump(storage)).keys()].filter((k) => k.includes('/data/'));
    expect(data).toHaveLength(1);
    expect(data[0]).toMatch(/-p1\.ssp$/);
    const target = memoryTarget();
    await restore({ from: storage, keys: [a], target });
    for (const [name, bytes] of Object.entries(many)) expect(target.bytes(name)).toEqual(bytes);
    const part = await collect(
      await readRange({ from: storage, keys: [a], object: 'd3/f7.txt', start: 10, end: 50 }),
    );
    expect(part).toEqual((many['d3/f7.txt'] as Uint8Array).subarray(10, 50));
    const v = await verify({ in: storage, keys: [a] });
    expect(v.files).toBe(40);
  });

  it('keeps packed objects of earlier layers and adds new ones in a new pack', async () => {
    const storage = memoryStorage();
    const { a } = testKeys();
    const now = steppingClock();
    await backup({ into: storage, keys: [a], entries: entriesOf(many), now });
    const next = { ...many, 'd0/f0.txt': bytesOf(10, 99), 'new.txt': bytesOf(20, 98) };
    const r = await backup({
      into: storage,
      keys: [a],
      entries: entriesOf(next, { 'd0/f0.txt': 5_000 }),
      incremental: true,
      now,
    });
    expect(r.written.objects).toBe(2);
    const packs = [...(await dump(storage)).keys()].filter((k) => k.endsWith('.ssp'));
    expect(packs).toHaveLength(2);
    const target = memoryTarget();
    await restore({ from: storage, keys: [a], target });
    for (const [name, bytes] of Object.entries(next)) expect(target.bytes(name)).toEqual(bytes);
    await expect(verify({ in: storage, keys: [a] })).resolves.toMatchObject({ files: 42 });
  });

  it('streams a file that grew past the limit since it was listed into its own data file', async () => {
    const storage = memoryStorage();
    const { a } = testKeys();
    const grown = bytesOf(3000, 5);
    await backup({
      into: storage,
      keys: [a],
      packUpTo: 1000,
      entries: [
        // Listed at 900 bytes, 3000 when read (chunks of 700, so the limit falls mid-chunk).
        {
          name: 'log',
          type: 'file',
          size: 900,
          open: () =>
            new ReadableStream({
              start(c) {
                for (let i = 0; i < grown.length; i += 700) c.enqueue(grown.slice(i, i + 700));
                c.close();
              },
            }),
        },
        ...entriesOf({ small: bytesOf(50, 1) }),
      ],
    });
    const keys = [...(await dump(storage)).keys()].filter((k) => k.includes('/data/'));
    expect(keys.filter((k) => k.endsWith('.sst'))).toHaveLength(1);
    expect(keys.filter((k) => k.endsWith('.ssp'))).toHaveLength(1);
    const target = memoryTarget();
    await restore({ from: storage, keys: [a], target });
    expect(target.bytes('log')).toEqual(grown);
    expect(target.bytes('small')).toEqual(bytesOf(50, 1));
  });

  it('refuses a bad packUpTo before writing anything', async () => {
    const storage = memoryStorage();
    const { a } = testKeys();
    await expect(
      backup({ into: storage, keys: [a], entries: entriesOf(many), packUpTo: -1 }),
    ).rejects.toMatchObject({ code: 'ERR_BACKUP_BAD_ARGUMENT' });
    expect((await dump(storage)).size).toBe(0);
  });
});
