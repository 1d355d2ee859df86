import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { randomInput } from './byteStreams.ts';
import { checkTree, PER_DIRECTORY, treeLayout, writeScaleTree, writeTree } from './makeTree.ts';

describe('the benchmark tree', () => {
  let dir = '';
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('tiles the content exactly with unique paths, for few or many small files', () => {
    for (const [bytes, small] of [
      [24 * 2 ** 20 + 12345, 256],
      [8 * 2 ** 20, 10_000],
    ] as const) {
      const files = treeLayout(bytes, small);
      let offset = 0;
      for (const f of files) {
        expect(f.offset).toBe(offset);
        expect(f.length).toBeGreaterThan(0);
        offset += f.length;
      }
      expect(offset).toBe(bytes);
      expect(new Set(files.map((f) => f.path)).size).toBe(files.length);
      expect(files.filter((f) => f.path.startsWith('small/'))).toHaveLength(small);
    }
    expect(() => treeLayout(1000)).toThrow(/8 MiB/);
  });

  it('writes a tree that checks, and notices a changed or an extra file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sealstream-tree-'));
    const content = randomInput(8 * 2 ** 20);
    const layout = treeLayout(content.length);
    await writeTree(dir, layout, content);
    await checkTree(dir, layout, content);
    const first = layout[0] as (typeof layout)[number];
    const changed = content.slice(first.offset, first.offset + first.length);
    changed[7] = (changed[7] as number) ^ 0xff;
    await writeFile(join(dir, first.path), changed);
    await expect(checkTree(dir, layout, content)).rejects.toThrow(/large\/base.bin differs/);
    await writeFile(join(dir, 'extra'), 'x');
    await expect(checkTree(dir, layout, content)).rejects.toThrow(/files, expected/);
  });

  it('writes a scale tree of small files, each different, in directories of 500', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sealstream-scale-'));
    writeScaleTree(dir, 2 * PER_DIRECTORY + 1);
    const dirs = (await readdir(dir)).sort();
    expect(dirs).toEqual(['d0', 'd1', 'd2']);
    expect(await readdir(join(dir, 'd2'))).toEqual([`f${2 * PER_DIRECTORY}.txt`]);
    const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((d) =>
      d.isFile(),
    );
    expect(files).toHaveLength(2 * PER_DIRECTORY + 1);
    const contents = await Promise.all(
      files.map((f) => readFile(join(f.parentPath, f.name), 'utf8')),
    );
    expect(new Set(contents).size).toBe(files.length);
    expect(contents.every((c) => c.length > 60 && c.length < 100)).toBe(true);
  });
});
