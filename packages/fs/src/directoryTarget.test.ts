import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directoryTarget } from './directoryTarget.ts';

let base: string;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'sealstream-target-'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('directoryTarget', () => {
  it('writes a file given in many small chunks whole, visible only once closed', async () => {
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
    expect(await readdir(join(dir, 'd/e'))).not.toContain('f.bin');
    await w.close();
    expect((await readFile(join(dir, 'd/e/f.bin'))).equals(bytes)).toBe(true);
    const st = await stat(join(dir, 'd/e/f.bin'));
    expect(st.mode & 0o777).toBe(0o640);
    expect(st.mtimeMs).toBe(1_700_000_000_000);
    expect((await readdir(join(dir, 'd/e'))).filter((n) => n.startsWith('.sealstream'))).toEqual(
      [],
    );
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

  it('writes small files given whole or as a stream alike, visible only complete', async () => {
    const dir = join(base, 'small');
    const target = await directoryTarget(dir);
    const bytes = randomBytes(1000);
    const meta = { mode: 0o600, mtime: 1_700_000_000_123, size: bytes.length };
    await target.writeBytes?.('x/whole.bin', meta, bytes);
    const sink = (await target.writeFile('x/stream.bin', meta)).getWriter();
    await sink.write(bytes.subarray(0, 10));
    await sink.write(bytes.subarray(10));
    expect(await readdir(join(dir, 'x'))).toEqual(['whole.bin']);
    await sink.close();
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
      const root = await stat(join(dir, 'root.txt'));
      const other = await stat(join(dir, 'other.txt'));
      expect([root.uid, root.gid]).toEqual([0, 0]);
      expect([other.uid, other.gid]).toEqual([1234, 5678]);
    },
  );
  if (process.getuid?.() !== 0)
    console.warn('directoryTarget.test: not root: the owner under a setgid target is not tested');

  it('leaves nothing behind when a write is aborted', async () => {
    const dir = join(base, 'b');
    const target = await directoryTarget(dir);
    const w = (await target.writeFile('x.bin', { size: 2_000_000 })).getWriter();
    await w.write(randomBytes(2_000_000));
    await w.abort(new Error('stop'));
    expect(await readdir(dir)).toEqual([]);
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
