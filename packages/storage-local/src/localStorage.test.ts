import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readObject, type Storage, StorageError, writeObject } from '@sealstream/storage';
import { bytesDiff, testBytes } from '@sealstream/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localStorage } from './localStorage.ts';
import { WRITE_BUFFER_SIZE } from './localWritable.ts';
import { isTempName, tempName } from './tempName.ts';

const enc = new TextEncoder();
let root: string;
let storage: Storage;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sealstream-local-'));
  storage = localStorage(root);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Every file under `dir` as it is on disk, temp files included. */
async function filesOnDisk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

async function keys(prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const info of storage.list(prefix)) out.push(info.key);
  return out;
}

describe('tempName', () => {
  it('makes reserved names beside the final one', () => {
    const t = tempName('LATEST');
    expect(t).toMatch(/^\.LATEST\.tmp-[0-9a-f]{16}$/);
    expect(isTempName(t)).toBe(true);
    expect(tempName('LATEST')).not.toBe(t);
    for (const n of ['LATEST', '.hidden', '.a.tmp-123', 'a.tmp-0123456789abcdef'])
      expect(isTempName(n)).toBe(false);
  });
});

describe('local storage on disk', () => {
  it('stores key a/b/c as the file root/a/b/c, creating parents', async () => {
    await writeObject(storage, 'layout/a/b/c', enc.encode('abc'));
    expect(await filesOnDisk(join(root, 'layout'))).toEqual(['a/b/c']);
  });

  it('ignores a temp file left behind by a crash: not listed, not read, not in the way', async () => {
    const dir = join(root, 'crash');
    await mkdir(join(dir, 'sub'), { recursive: true });
    const leftover = '.obj.tmp-0123456789abcdef';
    await writeFile(join(dir, leftover), 'half-written');
    await writeFile(join(dir, 'sub', '.deep.tmp-fedcba9876543210'), 'half');
    expect(await keys('crash/')).toEqual([]);
    expect(await storage.stat('crash/obj')).toBeUndefined();
    await expect(readObject(storage, 'crash/obj')).rejects.toMatchObject({
      code: 'ERR_STORAGE_NOT_FOUND',
    });
    await expect(storage.read(`crash/${leftover}`)).rejects.toThrow(/reserved temporary-file name/);
    await expect(storage.stat(`crash/${leftover}`)).rejects.toThrow(TypeError);
    await expect(storage.write(`crash/${leftover}`)).rejects.toThrow(TypeError);
    await writeObject(storage, 'crash/obj', enc.encode('whole'), { ifAbsent: true });
    expect(await keys('crash/')).toEqual(['crash/obj']);
    expect(new TextDecoder().decode(await readObject(storage, 'crash/obj'))).toBe('whole');
  });

  it('leaves no temp file after a commit, an abort, a failed source, a conflict or a signal', async () => {
    const base = 'clean';
    await writeObject(storage, `${base}/ok`, testBytes(5 * WRITE_BUFFER_SIZE + 3, 1));
    const w = (await storage.write(`${base}/aborted`)).getWriter();
    await w.write(testBytes(WRITE_BUFFER_SIZE + 1, 2));
    await w.abort(new Error('x'));
    const failing = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(testBytes(3 * WRITE_BUFFER_SIZE, 3));
        c.error(new Error('source broke'));
      },
    });
    await expect(failing.pipeTo(await storage.write(`${base}/failed`))).rejects.toThrow(
      'source broke',
    );
    const conflict = await storage.write(`${base}/raced`, { ifAbsent: true });
    await writeObject(storage, `${base}/raced`, enc.encode('winner'));
    await expect(new Blob(['loser']).stream().pipeTo(conflict)).rejects.toMatchObject({
      code: 'ERR_STORAGE_EXISTS',
    });
    const ac = new AbortController();
    const sig = (await storage.write(`${base}/signalled`, { signal: ac.signal })).getWriter();
    await sig.write(testBytes(100, 4));
    ac.abort(new Error('stop'));
    await expect(sig.closed).rejects.toThrow('stop');
    await expect(sig.close()).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 50)); // cleanup after a signal runs asynchronously
    expect(await filesOnDisk(join(root, base))).toEqual(['ok', 'raced']);
    expect(new TextDecoder().decode(await readObject(storage, `${base}/raced`))).toBe('winner');
  });

  it('lets exactly one of eight concurrent ifAbsent writers win', async () => {
    for (let round = 0; round < 3; round++) {
      const key = `race8/${round}`;
      const payloads = Array.from({ length: 8 }, (_, i) => testBytes(300_000 + i, round * 8 + i));
      const results = await Promise.allSettled(
        payloads.map((p) => writeObject(storage, key, p, { ifAbsent: true })),
      );
      const winners = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
      expect(winners).toHaveLength(1);
      for (const r of results)
        if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'ERR_STORAGE_EXISTS' });
      expect(
        bytesDiff(await readObject(storage, key), payloads[winners[0] as number] as Uint8Array),
      ).toBe('');
    }
    expect(await filesOnDisk(join(root, 'race8'))).toEqual(['0', '1', '2']);
  });

  it('writes correctly across buffer boundaries, whatever the size hint', async () => {
    const B = WRITE_BUFFER_SIZE;
    const sizes = [B - 1, 1, B, B + 1, 3, 65_536, 2 * B + 7, 1];
    const total = sizes.reduce((a, b) => a + b, 0);
    const data = testBytes(total, 9);
    for (const size of [undefined, 10, total]) {
      const key = `boundaries/${size ?? 'none'}`;
      const writer = (await storage.write(key, size === undefined ? {} : { size })).getWriter();
      let at = 0;
      for (const n of sizes) {
        await writer.write(data.slice(at, at + n));
        at += n;
      }
      await writer.close();
      expect(bytesDiff(await readObject(storage, key), data)).toBe('');
    }
  });

  it('lets the caller reuse its buffer once write() resolves', async () => {
    const buf = new Uint8Array(100_000);
    const writer = (await storage.write('reuse/obj')).getWriter();
    for (let i = 0; i < 50; i++) {
      buf.fill(i);
      await writer.write(buf);
    }
    const big = new Uint8Array(WRITE_BUFFER_SIZE + 10);
    big.fill(200);
    await writer.write(big);
    big.fill(201);
    await writer.close();
    const back = await readObject(storage, 'reuse/obj');
    expect(back.byteLength).toBe(50 * 100_000 + WRITE_BUFFER_SIZE + 10);
    for (let i = 0; i < 50; i++) expect(back[i * 100_000 + 99_999], `chunk ${i}`).toBe(i);
    expect(back[back.byteLength - 1]).toBe(200);
  });

  it('reads a consistent snapshot while the object is replaced', async () => {
    const first = testBytes(3 * 1024 * 1024, 1);
    await writeObject(storage, 'snapshot/obj', first);
    const reader = (await storage.read('snapshot/obj')).getReader();
    const chunks: Uint8Array[] = [];
    const r0 = await reader.read();
    if (r0.value) chunks.push(r0.value);
    await writeObject(storage, 'snapshot/obj', testBytes(100, 2));
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
    const back = new Uint8Array(await new Blob(chunks as BlobPart[]).arrayBuffer());
    expect(bytesDiff(back, first)).toBe('');
    expect((await storage.stat('snapshot/obj'))?.size).toBe(100);
  });

  it('yields 1 MiB chunks', async () => {
    await writeObject(storage, 'chunks/obj', testBytes(2 * 1024 * 1024 + 5, 1));
    const sizes: number[] = [];
    for await (const c of (await storage.read(
      'chunks/obj',
    )) as unknown as AsyncIterable<Uint8Array>)
      sizes.push(c.byteLength);
    expect(sizes).toEqual([1024 * 1024, 1024 * 1024, 5]);
  });

  it('does not list symlinks or read directories', async () => {
    await writeObject(storage, 'links/real', enc.encode('r'));
    await symlink(join(root, 'links/real'), join(root, 'links/alias'));
    expect(await keys('links/')).toEqual(['links/real']);
    await mkdir(join(root, 'links/dir'));
    await expect(readObject(storage, 'links/dir')).rejects.toMatchObject({
      code: 'ERR_STORAGE_NOT_FOUND',
    });
    expect(await storage.stat('links/dir')).toBeUndefined();
    await expect(storage.delete('links/dir')).resolves.toBeUndefined();
  });

  it('refuses a FIFO in the place of an object without waiting for a writer', {
    timeout: 5000,
  }, async () => {
    await writeObject(storage, 'fifo/real', enc.encode('r'));
    execFileSync('mkfifo', [join(root, 'fifo/pipe')]);
    await expect(storage.read('fifo/pipe')).rejects.toMatchObject({
      code: 'ERR_STORAGE_NOT_FOUND',
      key: 'fifo/pipe',
    });
    await expect(readObject(storage, 'fifo/pipe', { start: 0, end: 1 })).rejects.toBeInstanceOf(
      StorageError,
    );
    expect(await keys('fifo/')).toEqual(['fifo/real']);
  });

  it('reports a key under an existing object as ERR_STORAGE_IO, naming the key', async () => {
    await writeObject(storage, 'collide/file', enc.encode('f'));
    const e = await writeObject(storage, 'collide/file/child', enc.encode('c')).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(StorageError);
    expect((e as StorageError).code).toBe('ERR_STORAGE_IO');
    expect((e as StorageError).message).toContain('collide/file/child');
    expect((e as StorageError).message).toMatch(/EEXIST|ENOTDIR/);
  });

  it('opens a missing root lazily and lists nothing', async () => {
    const missing = localStorage(join(root, 'does/not/exist'));
    expect(await missing.stat('a')).toBeUndefined();
    const listed: string[] = [];
    for await (const i of missing.list('')) listed.push(i.key);
    expect(listed).toEqual([]);
    await writeObject(missing, 'a', enc.encode('1'));
    expect(await missing.stat('a')).toMatchObject({ key: 'a', size: 1 });
  });

  it('creates files 0600 and directories 0700 unless told otherwise, whatever the umask', async () => {
    const umask = process.umask();
    const modeOf = async (path: string) => (await stat(path)).mode & 0o777;
    const owner = join(root, 'modes', 'default');
    await writeObject(localStorage(owner), 'a/b/c', enc.encode('secret-ish'));
    await writeObject(localStorage(owner), 'a/d', enc.encode('x'), { ifAbsent: true });
    for (const f of ['a/b/c', 'a/d']) expect(await modeOf(join(owner, f))).toBe(0o600 & ~umask);
    for (const d of ['', 'a', 'a/b']) expect(await modeOf(join(owner, d))).toBe(0o700 & ~umask);

    const shared = join(root, 'modes', 'shared');
    const widened = localStorage(shared, { fileMode: 0o640, dirMode: 0o750 });
    await writeObject(widened, 'a/b', enc.encode('x'));
    expect(await modeOf(join(shared, 'a/b'))).toBe(0o640 & ~umask);
    expect(await modeOf(join(shared, 'a'))).toBe(0o750 & ~umask);
    expect(() => localStorage(shared, { fileMode: 0o1777 })).toThrow(RangeError);
  });

  it('guards its root', () => {
    expect(() => localStorage('')).toThrow(TypeError);
    expect(localStorage('relative/dir').redactedUri).toBe('relative/dir');
    expect(localStorage(root).capabilities.atomicCreate).toBe(true);
  });
});

describe('close', () => {
  it('abandons writes in progress (their temporary files removed) and refuses new ones', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sealstream-local-close-'));
    try {
      const s = localStorage(dir);
      await writeObject(s, 'kept', enc.encode('committed before close'));
      const open = (await s.write('half/written')).getWriter();
      await open.write(new Uint8Array(3 * WRITE_BUFFER_SIZE).fill(7));
      expect((await filesOnDisk(dir)).some((f) => isTempName(f.split('/').pop() as string))).toBe(
        true,
      );
      // A write still creating its temporary file when close starts is waited for too.
      const starting = s.write('late/one');
      await s.close?.();
      await expect(starting.then((w) => w.getWriter().close())).rejects.toBeDefined();
      await expect(open.close()).rejects.toBeDefined();
      expect(await filesOnDisk(dir)).toEqual(['kept']);
      await expect(writeObject(s, 'after', enc.encode('x'))).rejects.toMatchObject({
        code: 'ERR_STORAGE_UNAVAILABLE',
      });
      expect(new TextDecoder().decode(await readObject(s, 'kept'))).toBe('committed before close');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
