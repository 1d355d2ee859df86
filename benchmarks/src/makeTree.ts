import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A file of a benchmark tree: its path and the slice [offset, offset + length) of the content. */
export interface TreeFile {
  readonly path: string;
  readonly offset: number;
  readonly length: number;
}

/**
 * Splits `bytes` into a tree that tiles the content exactly: half in one large file, a quarter
 * in 16 medium files, `smallFiles` small files (1–16 KiB, smaller when many, within an eighth of
 * the bytes) in directories of at most 500, and the rest in 1 MiB files. Deterministic.
 *
 * @example
 * ```ts
 * import { treeLayout } from './makeTree.ts';
 * const files = treeLayout(64 << 20);
 * console.assert(files.reduce((n, f) => n + f.length, 0) === 64 << 20);
 * ```
 */
export function treeLayout(bytes: number, smallFiles = 256): TreeFile[] {
  if (!Number.isSafeInteger(bytes) || bytes < 8 << 20)
    throw new RangeError(`Cannot lay out a tree of ${bytes} bytes: the least is 8 MiB`);
  const files: TreeFile[] = [];
  let offset = 0;
  const add = (path: string, length: number) => {
    files.push({ path, offset, length });
    offset += length;
  };
  add('large/base.bin', Math.floor(bytes / 2));
  for (let i = 0; i < 16; i++) add(`medium/${i}.bin`, Math.floor(bytes / 64));
  const most = Math.floor(bytes / 8 / smallFiles);
  const dirs = Math.max(16, Math.ceil(smallFiles / 500));
  for (let i = 0; i < smallFiles; i++)
    add(`small/d${i % dirs}/f${i}.dat`, Math.max(1, Math.min(most, 1024 * (1 + ((i * 37) % 16)))));
  for (let n = 0; offset < bytes; n++) add(`mib/${n}.bin`, Math.min(1 << 20, bytes - offset));
  return files;
}

/** Writes each file of `layout` under `root` as its slice of `content`. */
export async function writeTree(root: string, layout: readonly TreeFile[], content: Uint8Array) {
  for (const f of layout) {
    await mkdir(join(root, f.path, '..'), { recursive: true });
    await writeFile(join(root, f.path), content.subarray(f.offset, f.offset + f.length));
  }
}

/** Checks that `root` holds exactly the files of `layout` with their bytes; throws at the first difference. */
export async function checkTree(root: string, layout: readonly TreeFile[], content: Uint8Array) {
  const found = (await readdir(root, { recursive: true, withFileTypes: true })).filter((d) =>
    d.isFile(),
  );
  if (found.length !== layout.length)
    throw new Error(`The tree has ${found.length} files, expected ${layout.length}`);
  for (const f of layout) {
    const bytes = await readFile(join(root, f.path));
    if (!bytes.equals(content.subarray(f.offset, f.offset + f.length)))
      throw new Error(`${f.path} differs from the original`);
  }
}

/** Files per directory of a scale tree ({@link writeScaleTree}). */
export const PER_DIRECTORY = 500;

/**
 * Writes `files` small files (about 80 bytes each, every one different) under `root`, in
 * directories of {@link PER_DIRECTORY}: the shape of a mail spool or a package cache, where the
 * cost of a backup is per file, not per byte.
 */
export function writeScaleTree(root: string, files: number): void {
  const random = new Uint8Array(32);
  for (let d = 0; d * PER_DIRECTORY < files; d++) {
    const dir = join(root, `d${d}`);
    mkdirSync(dir, { recursive: true });
    for (let f = d * PER_DIRECTORY; f < Math.min(files, (d + 1) * PER_DIRECTORY); f++) {
      crypto.getRandomValues(random);
      const fd = openSync(join(dir, `f${f}.txt`), 'w');
      writeSync(fd, `file ${f} ${Buffer.from(random).toString('hex')}\n`);
      closeSync(fd);
    }
  }
}
