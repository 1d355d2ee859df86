import { randomBytes } from 'node:crypto';
import {
  chmod,
  chown,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directoryTarget, RESTORE_MARKER, RESTORE_STAGING } from './directoryTarget.ts';

let base: string;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'sealstream-target-'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('directoryTarget', () => {
  it('writes a file given in many small chunks whole; the tree appears under its names at finish', async () => {
    const dir = join(base, 'a');
    const target = await directoryTarget(dir);
    const bytes = randomBytes(70 * 30_000 + 17);
    const sink = await target.writeFile('d/e/f.bin', {
      mode: 0o640,
      mtime: 1_700_000_000_000,
      size: bytes.length,
    });
    const w = sink.getWriter();
    for (let o = 0; o < bytes.length; o += 30_000) await w.write(bytes.subarray(o, o + 30_000));
    await w.close();
    expect(await readdir(dir)).toEqual([RESTORE_STAGING]);
    await target.finish?.();
    expect((await readFile(join(dir, 'd/e/f.bin'))).equals(bytes)).toBe(true);
    const st = await stat(join(dir, 'd/e/f.bin'));
    expect(st.mode & 0o777).toBe(0o640);
    expect(st.mtimeMs).toBe(1_700_000_000_000);
    expect(await readdir(dir)).toEqual(['d']);
    expect(await readdir(join(dir, 'd/e'))).toEqual(['f.bin']);
  });

  it('restores the same files whether each is fsynced or the file system is synced at the end', async () => {
    for (const durability of ['file', 'filesystem'] as const) {
      const dir = join(base, `durable-${durability}`);
      const target = await directoryTarget(dir, { durability });
      const files = Array.from({ length: 20 }, (_, i) => randomBytes(i * 7));
      await Promise.all(
        files.map(async (bytes, i) => {
          const w = (
            await target.writeFile(`d${i % 3}/f${i}`, { mode: 0o600, size: bytes.length })
          ).getWriter();
          await w.write(bytes);
          await w.close();
        }),
      );
      await target.finish?.();
      for (const [i, bytes] of files.entries())
        expect((await readFile(join(dir, `d${i % 3}/f${i}`))).equals(bytes)).toBe(true);
      for (const d of ['d0', 'd1', 'd2'])
        expect((await readdir(join(dir, d))).filter((n) => n.startsWith('.'))).toEqual([]);
    }
  });

  it('writes small files given whole or as a stream alike', async () => {
    const dir = join(base, 'small');
    const target = await directoryTarget(dir);
    const bytes = randomBytes(1000);
    const meta = { mode: 0o600, mtime: 1_700_000_000_123, size: bytes.length };
    await target.writeBytes?.('x/whole.bin', meta, bytes);
    const sink = (await target.writeFile('x/stream.bin', meta)).getWriter();
    await sink.write(bytes.subarray(0, 10));
    await sink.write(bytes.subarray(10));
    await sink.close();
    await target.finish?.();
    for (const name of ['whole.bin', 'stream.bin']) {
      expect((await readFile(join(dir, 'x', name))).equals(bytes)).toBe(true);
      const st = await stat(join(dir, 'x', name));
      expect(st.mode & 0o777).toBe(0o600);
      expect(st.mtimeMs).toBe(1_700_000_000_123);
    }
    expect((await readdir(join(dir, 'x'))).sort()).toEqual(['stream.bin', 'whole.bin']);
  });

  it.runIf(process.getuid?.() === 0)(
    'as root, gives the stored owner under a setgid target too (where new files take its group)',
    async () => {
      const dir = join(base, 'setgid');
      await mkdir(dir);
      await chown(dir, 0, 4321);
      await chmod(dir, 0o2775);
      const target = await directoryTarget(dir);
      const meta = { mode: 0o644, mtime: 1_000, size: 1 };
      await target.writeBytes?.('root.txt', { ...meta, uid: 0, gid: 0 }, Uint8Array.of(1));
      await target.writeBytes?.('other.txt', { ...meta, uid: 1234, gid: 5678 }, Uint8Array.of(2));
      await target.finish?.();
      const root = await stat(join(dir, 'root.txt'));
      const other = await stat(join(dir, 'other.txt'));
      expect([root.uid, root.gid]).toEqual([0, 0]);
      expect([other.uid, other.gid]).toEqual([1234, 5678]);
    },
  );
  if (process.getuid?.() !== 0)
    console.warn('directoryTarget.test: not root: the owner under a setgid target is not tested');

  it('writes hundreds of small files (most on a thread of their own); a link waits for its file', async () => {
    const dir = join(base, 'many');
    const target = await directoryTarget(dir);
    const files = Array.from({ length: 600 }, (_, i) => randomBytes(i % 50));
    for (const [i, bytes] of files.entries())
      await target.writeBytes?.(`d${i % 4}/f${i}`, { mode: 0o600, size: bytes.length }, bytes);
    await target.link?.('last-link', 'd3/f599');
    await target.finish?.();
    for (const [i, bytes] of files.entries())
      expect((await readFile(join(dir, `d${i % 4}/f${i}`))).equals(bytes), `f${i}`).toBe(true);
    expect((await stat(join(dir, 'last-link'))).ino).toBe((await stat(join(dir, 'd3/f599'))).ino);
    expect((await readdir(dir)).sort()).toEqual(['d0', 'd1', 'd2', 'd3', 'last-link']);
  });

  it('leaves nothing behind when a write is aborted', async () => {
    const dir = join(base, 'b');
    const target = await directoryTarget(dir);
    const w = (await target.writeFile('x.bin', { size: 2_000_000 })).getWriter();
    await w.write(randomBytes(2_000_000));
    await w.abort(new Error('stop'));
    const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter(
      (d) => !d.isDirectory(),
    );
    expect(files).toEqual([]);
  });

  it('resumes an interrupted restore: keeps complete files, rewrites the rest, moves the tree in', async () => {
    const dir = join(base, 'resume');
    const layer = { id: 'L', full: 'F' };
    const meta = (size: number) => ({ mode: 0o644, mtime: 1_700_000_000_000, size });
    const first = await directoryTarget(dir);
    await first.begin?.([], layer);
    await first.writeBytes?.('a/done.txt', meta(4), Buffer.from('done'));
    await first.writeBytes?.('b/moved.txt', meta(5), Buffer.from('moved'));
    // Killed part way: a file half written under its name, one top-level entry already moved.
    await writeFile(join(dir, RESTORE_STAGING, 'a/half.txt'), 'ha');
    await rename(join(dir, RESTORE_STAGING, 'b'), join(dir, 'b'));
    const doneIno = (await stat(join(dir, RESTORE_STAGING, 'a/done.txt'))).ino;

    const again = await directoryTarget(dir);
    await again.begin?.([], layer);
    expect(await again.complete?.('a/done.txt', meta(4))).toBe(true);
    expect(await again.complete?.('b/moved.txt', meta(5))).toBe(true);
    expect(await again.complete?.('a/half.txt', meta(4))).toBe(false);
    await again.writeBytes?.('a/half.txt', meta(4), Buffer.from('half'));
    await again.writeBytes?.('b/new.txt', meta(3), Buffer.from('new'));
    await again.finish?.();
    expect((await readdir(dir)).sort()).toEqual(['a', 'b']);
    expect(await readFile(join(dir, 'a/half.txt'), 'utf8')).toBe('half');
    expect(await readFile(join(dir, 'b/new.txt'), 'utf8')).toBe('new');
    expect((await stat(join(dir, 'a/done.txt'))).ino).toBe(doneIno);
    await expect(directoryTarget(dir)).rejects.toMatchObject({ code: 'ERR_CLI_TARGET_NOT_EMPTY' });
  });

  it("refuses entries named as the restore's own files", async () => {
    const target = await directoryTarget(join(base, 'own'));
    const names = [RESTORE_STAGING, `${RESTORE_STAGING}/x`, RESTORE_MARKER, '', '.', '../x'];
    names.push('a/../../x', 'a/./b', 'a//b', 'a/', '/etc/passwd', 'x\0y');
    for (const name of names)
      await expect(
        target.writeBytes?.(name, { size: 1 }, Uint8Array.of(1)),
        name,
      ).rejects.toMatchObject({ code: 'ERR_CLI_UNSAFE_PATH' });
    // Dots are only refused as whole segments.
    await target.writeBytes?.('.a/..b/...', { size: 1 }, Uint8Array.of(1));
    await target.finish?.();
    expect(await readFile(join(base, 'own/.a/..b/...'))).toEqual(Buffer.of(1));
  });

  it('refuses a target that is not empty', async () => {
    const dir = join(base, 'a');
    await expect(directoryTarget(dir)).rejects.toMatchObject({ code: 'ERR_CLI_TARGET_NOT_EMPTY' });
  });

  it('clears setuid and setgid unless told to keep them; keeps the sticky bit', async () => {
    const restoreModes = async (dir: string, preserveSpecialBits?: boolean) => {
      const target = await directoryTarget(
        dir,
        preserveSpecialBits === undefined ? {} : { preserveSpecialBits },
      );
      await target.mkdir('shared', { mode: 0o3775 });
      for (const [name, mode] of [
        ['suid', 0o4755],
        ['sgid', 0o2755],
        ['sticky', 0o1644],
      ] as const) {
        const w = await target.writeFile(name, { mode, size: 1 });
        await new Blob(['x']).stream().pipeTo(w);
      }
      await target.finish?.();
      const modeOf = async (n: string) => (await stat(join(dir, n))).mode & 0o7777;
      return [
        await modeOf('suid'),
        await modeOf('sgid'),
        await modeOf('sticky'),
        await modeOf('shared'),
      ];
    };
    expect(await restoreModes(join(base, 'special-default'))).toEqual([
      0o755, 0o755, 0o1644, 0o1775,
    ]);
    expect(await restoreModes(join(base, 'special-off'), false)).toEqual([
      0o755, 0o755, 0o1644, 0o1775,
    ]);
    expect(await restoreModes(join(base, 'special-kept'), true)).toEqual([
      0o4755, 0o2755, 0o1644, 0o3775,
    ]);
  });
});
