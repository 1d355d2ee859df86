import { randomBytes } from 'node:crypto';
import {
  appendFile,
  mkdir,
  mkdtemp,
  open,
  readdir,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backup } from '@sealstream/backup';
import { walkDirectory } from '@sealstream/fs';
import { generateLocalKey, localKeyWrapper } from '@sealstream/kms';
import { localStorage } from '@sealstream/storage-local';
import type { BenchCase } from './BenchCase.ts';
import { formatNumber } from './markdownTable.ts';
import { runTool, toolVersion } from './runTool.ts';
import { formatBytes, MiB } from './sizes.ts';

/** Bytes of all files under `dir`. */
async function du(dir: string): Promise<number> {
  const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((d) =>
    d.isFile(),
  );
  const sizes = await Promise.all(files.map((d) => stat(join(d.parentPath, d.name))));
  return sizes.reduce((sum, s) => sum + s.size, 0);
}

/** Three changes to a tree: how to make the tree, then what changes before the incremental. */
const changes = (big: number) => [
  {
    name: `1 MiB rewritten inside a ${formatBytes(big)} file`,
    make: (dir: string) => writeFile(join(dir, 'big.bin'), randomBytes(big)),
    change: async (dir: string) => {
      const file = await open(join(dir, 'big.bin'), 'r+');
      await file.write(randomBytes(MiB), 0, MiB, big / 2);
      await file.close();
    },
  },
  {
    name: `1 MiB appended to a ${formatBytes(big / 4)} file`,
    make: (dir: string) => writeFile(join(dir, 'dump.sql'), randomBytes(big / 4)),
    change: (dir: string) => appendFile(join(dir, 'dump.sql'), randomBytes(MiB)),
  },
  {
    name: 'a directory of 20 × 1 MiB files renamed',
    make: async (dir: string) => {
      await mkdir(join(dir, 'photos'));
      for (let i = 0; i < 20; i++) await writeFile(join(dir, `photos/${i}.jpg`), randomBytes(MiB));
    },
    change: (dir: string) => rename(join(dir, 'photos'), join(dir, 'pictures')),
  },
];

/**
 * What an incremental backup adds to the repository after an edit inside a large file, an
 * append, and a renamed directory: sealstream (content-defined chunks) beside restic.
 */
export default {
  name: 'growth',
  summary: 'repository bytes an incremental adds after an edit, an append, a rename: vs restic',
  async run({ inputBytes, log }) {
    const restic = await toolVersion('restic', ['version']);
    const keys = [localKeyWrapper(generateLocalKey())];
    const work = await mkdtemp(join(tmpdir(), 'sealstream-bench-growth-'));
    const [tree, repo] = [join(work, 'tree'), join(work, 'repo')] as const;
    const cache = join(work, 'cache');
    const env = {
      TREE: tree,
      RESTIC_REPOSITORY: repo,
      RESTIC_PASSWORD: 'bench',
      RESTIC_CACHE_DIR: cache,
    };
    const tools: Record<string, (incremental: boolean) => Promise<unknown>> = {
      sealstream: (incremental) =>
        backup({ collection: localStorage(repo), entries: walkDirectory(tree), keys, incremental }),
    };
    if (restic)
      tools.restic = (incremental) =>
        runTool(`${incremental ? '' : 'restic init -q && '}restic backup -q "$TREE"`, env);
    const rows: string[][] = [];
    try {
      for (const c of changes(Math.max(16 * MiB, inputBytes))) {
        const grew: Record<string, number> = {};
        for (const [name, take] of Object.entries(tools)) {
          log(`${name}: ${c.name}`);
          await mkdir(tree);
          await c.make(tree);
          await take(false);
          const before = await du(repo);
          await c.change(tree);
          await take(true);
          grew[name] = (await du(repo)) - before;
          await rm(tree, { recursive: true });
          await rm(repo, { recursive: true });
        }
        const [ours = Number.NaN, theirs = Number.NaN] = [grew.sealstream, grew.restic];
        const ratio = `${formatNumber(ours / theirs)}×`;
        rows.push([c.name, formatBytes(ours), restic ? formatBytes(theirs) : '–', ratio]);
      }
    } finally {
      await rm(work, { recursive: true, force: true });
    }
    return {
      tables: [
        {
          title: 'Repository bytes an incremental adds',
          columns: ['change', 'sealstream', 'restic', 'sealstream ÷ restic'],
          rows,
        },
      ],
      notes: [restic ?? 'SKIPPED restic: not on PATH (Debian: apt-get install restic).'],
    };
  },
} satisfies BenchCase;
