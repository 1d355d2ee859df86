import { execFileSync } from 'node:child_process';
import {
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BackupEntry, backup, restore } from '@sealstream/backup';
import { generateLocalKey, localKeyWrapper } from '@sealstream/kms';
import { memoryStorage } from '@sealstream/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directoryTarget } from './directoryTarget.ts';
import { excludeRules } from './excludeRules.ts';
import { walkDirectory } from './walkDirectory.ts';

let base: string;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'sealstream-walk-'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

const SECRET = 'root-only secret bytes';

/** A tree with two files, walked; and a secret file outside it. */
async function walked(
  name: string,
): Promise<{ dir: string; secret: string; entries: BackupEntry[] }> {
  const dir = join(base, name, 'tree');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'mine.txt'), 'my own bytes');
  await writeFile(join(dir, 'other.txt'), 'other bytes');
  const secret = join(base, name, 'secret');
  await writeFile(secret, SECRET);
  const entries: BackupEntry[] = [];
  for await (const e of walkDirectory(dir)) entries.push(e);
  return { dir, secret, entries };
}

async function read(entry: BackupEntry | undefined): Promise<string> {
  const opened = await entry?.open?.();
  if (!opened) throw new Error('no stream');
  if (opened instanceof Uint8Array) return new TextDecoder().decode(opened);
  return new TextDecoder().decode(await new Response(opened).arrayBuffer());
}

describe('walkDirectory', () => {
  it('reads the files it listed', async () => {
    const { entries } = await walked('plain');
    expect(entries.map((e) => e.name)).toEqual(['mine.txt', 'other.txt']);
    expect(await read(entries[0])).toBe('my own bytes');
  });

  it('refuses a file swapped for a symlink after the walk', async () => {
    const { dir, secret, entries } = await walked('symlink');
    await rm(join(dir, 'mine.txt'));
    await symlink(secret, join(dir, 'mine.txt'));
    await expect(read(entries[0])).rejects.toMatchObject({ code: 'ERR_CLI_SOURCE_CHANGED' });
  });

  it('refuses a file replaced by another regular file after the walk', async () => {
    const { dir, secret, entries } = await walked('replaced');
    await rename(secret, join(dir, 'mine.txt'));
    await expect(read(entries[0])).rejects.toMatchObject({ code: 'ERR_CLI_SOURCE_CHANGED' });
  });

  it('refuses a file swapped for a FIFO after the walk, without blocking', {
    timeout: 5000,
  }, async () => {
    const { dir, entries } = await walked('fifo');
    await rm(join(dir, 'mine.txt'));
    execFileSync('mkfifo', [join(dir, 'mine.txt')]);
    await expect(read(entries[0])).rejects.toMatchObject({ code: 'ERR_CLI_SOURCE_CHANGED' });
  });

  it('a backup leaves a swapped file out and stores none of the link target', async () => {
    const { dir, secret, entries } = await walked('backup');
    await rm(join(dir, 'mine.txt'));
    await symlink(secret, join(dir, 'mine.txt'));
    const storage = memoryStorage();
    const key = localKeyWrapper(generateLocalKey());
    const skipped: string[] = [];
    await backup({
      collection: storage,
      keys: [key],
      entries,
      skipObject: (name, error) => {
        skipped.push(`${name} ${(error as { code?: string }).code}`);
        return true;
      },
    });
    const out = join(base, 'backup-out');
    await restore({ collection: storage, keys: [key], target: await directoryTarget(out) });
    expect(await readdir(out)).toEqual(['other.txt']);
    expect(await readFile(join(out, 'other.txt'), 'utf8')).toBe('other bytes');
    expect(skipped).toEqual(['mine.txt ERR_CLI_SOURCE_CHANGED']);
  });

  it('reports a directory it cannot list through onError and goes on', async () => {
    const dir = join(base, 'vanishing');
    await mkdir(join(dir, 'gone'), { recursive: true });
    await writeFile(join(dir, 'gone', 'x'), 'x');
    await writeFile(join(dir, 'kept.txt'), 'kept');
    const errors: string[] = [];
    const names: string[] = [];
    for await (const e of walkDirectory(dir, { onError: (p, why) => errors.push(`${p} ${why}`) })) {
      names.push(e.name);
      // Removed after its entry was listed, before the walk goes into it.
      if (e.name === 'gone') await rm(join(dir, 'gone'), { recursive: true });
    }
    expect(names).toEqual(['gone', 'kept.txt']);
    expect(errors).toEqual([`${join(dir, 'gone')} ENOENT`]);
    // Without onError the same failure is thrown.
    await mkdir(join(dir, 'gone'));
    const again = walkDirectory(dir);
    await again.next();
    await rm(join(dir, 'gone'), { recursive: true });
    await expect(again.next()).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a backup fails on a swapped file when nothing skips it', async () => {
    const { dir, secret, entries } = await walked('fails');
    await rm(join(dir, 'mine.txt'));
    await symlink(secret, join(dir, 'mine.txt'));
    await expect(
      backup({ collection: memoryStorage(), keys: [localKeyWrapper(generateLocalKey())], entries }),
    ).rejects.toMatchObject({ code: 'ERR_CLI_SOURCE_CHANGED' });
  });

  it('yields a large directory in name order, each subdirectory right after its own entry', async () => {
    // The walk lists (lstats) entries ahead of the one it yields: a directory of many entries,
    // with subdirectories and excluded names among them, comes out whole and in order.
    const dir = join(base, 'large');
    const want: string[] = [];
    for (let i = 0; i < 300; i++) {
      const name = `e${String(i).padStart(3, '0')}`;
      if (i % 50 === 7) {
        await mkdir(join(dir, name, 'in'), { recursive: true });
        await writeFile(join(dir, name, 'in', 'f'), name);
        want.push(name, `${name}/in`, `${name}/in/f`);
      } else if (i % 10 === 3) {
        await mkdir(dir, { recursive: true });
        await writeFile(join(dir, `${name}.log`), 'left out');
      } else {
        await mkdir(dir, { recursive: true });
        await writeFile(join(dir, name), name);
        want.push(name);
      }
    }
    const entries: BackupEntry[] = [];
    for await (const e of walkDirectory(dir, { exclude: excludeRules(['*.log']) })) entries.push(e);
    expect(entries.map((e) => e.name)).toEqual(want);
    const last = entries.at(-1);
    expect(await read(last)).toBe(last?.name);
  });

  it('leaves out what --exclude patterns and --exclude-if-present name, before lstat', async () => {
    const dir = join(base, 'excludes');
    await mkdir(join(dir, 'src', 'node_modules', 'x'), { recursive: true });
    await mkdir(join(dir, 'cache'), { recursive: true });
    await mkdir(join(dir, 'skipme'), { recursive: true });
    for (const f of [
      'src/a.ts',
      'src/a.log',
      'src/node_modules/x/y.js',
      'cache/t.tmp',
      'cache/keep',
      'skipme/.nobackup',
      'skipme/data',
    ])
      await writeFile(join(dir, f), f);
    const names: string[] = [];
    for await (const e of walkDirectory(dir, {
      exclude: excludeRules(['*.log', 'node_modules', 'cache/*.tmp']),
      excludeIfPresent: ['.nobackup'],
    }))
      names.push(e.name);
    expect(names).toEqual(['cache', 'cache/keep', 'src', 'src/a.ts']);
  });

  it('with oneFileSystem keeps a mount point but does not descend into it (/proc)', async () => {
    const onlyProc = (p: string) => !(p === 'proc' || p.startsWith('proc/'));
    const names: string[] = [];
    for await (const e of walkDirectory('/', { exclude: onlyProc, oneFileSystem: true }))
      names.push(e.name);
    expect(names).toEqual(['proc']);
    // Without it, the walk goes into /proc.
    for await (const e of walkDirectory('/', { exclude: onlyProc, onError: () => {} }))
      if (e.name.startsWith('proc/')) return;
    throw new Error('the walk never went into /proc');
  });
});
