import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** The shape of a benchmark tree: how its bytes are split into files. */
export interface TreeLayout {
  /** Relative file path → [offset, length) into the content. Files tile the content exactly. */
  readonly files: readonly {
    readonly path: string;
    readonly offset: number;
    readonly length: number;
  }[];
}

/**
 * Splits `bytes` into a realistic tree: half in one large file, a quarter in 16 medium files,
 * up to 256 small files (1–16 KiB, at most an eighth of the
 * bytes) in 16 subdirectories, and the rest in 1 MiB files. Deterministic.
 *
 * @example
 * ```ts
 * import { treeLayout } from './makeTree.ts';
 * const layout = treeLayout(256 << 20);
 * console.assert(layout.files.reduce((n, f) => n + f.length, 0) === 256 << 20);
 * ```
 */
export function treeLayout(bytes: number): TreeLayout {
  if (!Number.isSafeInteger(bytes) || bytes < 8 * 2 ** 20) {
    throw new RangeError(
      `Cannot lay out a benchmark tree as bytes must be >= 8 MiB: received ${bytes}`,
    );
  }
  const files: { path: string; offset: number; length: number }[] = [];
  let offset = 0;
  const add = (path: string, length: number) => {
    files.push({ path, offset, length });
    offset += length;
  };
  add('large/base.bin', Math.floor(bytes / 2));
  const medium = Math.floor(bytes / 4 / 16);
  for (let i = 0; i < 16; i++) add(`medium/part-${String(i).padStart(2, '0')}.bin`, medium);
  const smallBudget = offset + Math.floor(bytes / 8);
  for (let i = 0; i < 256; i++) {
    const length = 1024 * (1 + ((i * 37) % 16));
    if (offset + length > smallBudget) break;
    add(`small/d${String(i % 16).padStart(2, '0')}/f${String(i).padStart(3, '0')}.dat`, length);
  }
  let n = 0;
  while (offset < bytes)
    add(`mib/chunk-${String(n++).padStart(5, '0')}.bin`, Math.min(2 ** 20, bytes - offset));
  return { files };
}

/**
 * Writes the tree of `layout` under `root`, each file a slice of `content` (so the concatenation
 * of all files is `content`, the same bytes the bare stream benchmarks time).
 */
export async function writeTree(
  root: string,
  layout: TreeLayout,
  content: Uint8Array,
): Promise<void> {
  for (const f of layout.files) {
    const path = join(root, f.path);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, content.subarray(f.offset, f.offset + f.length));
  }
}

/**
 * Checks that `root` holds exactly the files of `layout` with the bytes of `content`; throws
 * naming the first difference.
 */
export async function checkTree(
  root: string,
  layout: TreeLayout,
  content: Uint8Array,
): Promise<void> {
  const found = new Set<string>();
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else found.add(relative(root, path));
    }
  };
  await walk(root);
  if (found.size !== layout.files.length) {
    throw new Error(`Restored tree has ${found.size} files, expected ${layout.files.length}`);
  }
  for (const f of layout.files) {
    const path = join(root, f.path);
    if ((await stat(path)).size !== f.length)
      throw new Error(`Restored ${f.path} has the wrong size`);
    const bytes = await readFile(path);
    if (Buffer.compare(bytes, content.subarray(f.offset, f.offset + f.length)) !== 0) {
      throw new Error(`Restored ${f.path} differs from the original`);
    }
  }
}
