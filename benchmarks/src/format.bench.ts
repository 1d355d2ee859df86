import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchSuite, ReportTable } from './BenchSuite.ts';
import { formatBytes } from './formatNumbers.ts';

const child = fileURLToPath(new URL('formatChild.ts', import.meta.url));

interface CaseResult {
  ms: number;
  peakRss: number;
}

function runChild(job: Record<string, string>): Promise<CaseResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--conditions=@sealstream/source', '--import', 'tsx', child, JSON.stringify(job)],
      { maxBuffer: 1 << 20, timeout: 3_600_000 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`${job.op} failed: ${stderr || err.message}`));
        else resolve(JSON.parse(stdout.trim().split('\n').pop() as string) as CaseResult);
      },
    );
  });
}

/** Total bytes of every file under `dir`. */
async function duBytes(dir: string): Promise<number> {
  let total = 0;
  for (const d of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (d.isFile()) total += (await stat(join(d.parentPath, d.name))).size;
  }
  return total;
}

/** `files` files of about 100 bytes, 500 per directory. */
async function smallFiles(root: string, files: number): Promise<void> {
  for (let d = 0; d * 500 < files; d++) {
    const dir = join(root, `d${String(d).padStart(4, '0')}`);
    await mkdir(dir, { recursive: true });
    const n = Math.min(500, files - d * 500);
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        writeFile(
          join(dir, `f${String(i).padStart(3, '0')}.txt`),
          `${d}-${i} ${randomBytes(40).toString('hex')}\n`,
        ),
      ),
    );
  }
}

/**
 * Collection format v1 (one manifest per layer, one sealed object per changed file) beside v2
 * (keyed chunks in packs, streamed trees) on the same trees, through the library with a local
 * key on local disk: a tree of many small files (full backup, no-change incremental, restore:
 * time and peak RSS, each in its own process), and what an incremental stores after an edit in
 * a large file, an append to a stream-like file, and a renamed directory.
 */
const suite: BenchSuite = {
  name: 'format',
  description:
    'collection format v1 vs v2: many small files (time, peak RSS) and incremental growth',
  async run(ctx) {
    const files = Number(ctx.options['format-files'] ?? (ctx.quick ? 10_000 : 100_000));
    const bigBytes = (ctx.quick ? 64 : 200) * 2 ** 20;
    const work = await mkdtemp(join(tmpdir(), 'sealstream-bench-format-'));
    const key = randomBytes(32).toString('hex');
    const tables: ReportTable[] = [];
    const data: Record<string, unknown> = {};
    try {
      // Many small files.
      const tree = join(work, 'small');
      ctx.log(`writing ${files} files of about 100 B under ${tree}`);
      await smallFiles(tree, files);
      const rows: string[][] = [];
      for (const format of ['sealstream'] as const) {
        const collection = join(work, `small-${format}`);
        const job = { tree, collection, key };
        for (const op of ['full', 'incremental', 'restore'] as const) {
          const to = join(work, `restored-${format}`);
          ctx.log(`${format} ${op}`);
          const r = await runChild({ ...job, op, to });
          data[`small-${format}-${op}`] = r;
          rows.push([format, op, (r.ms / 1000).toFixed(2), (r.peakRss / 2 ** 20).toFixed(0)]);
          if (op === 'restore') await rm(to, { recursive: true, force: true });
        }
      }
      tables.push({
        title: `${files.toLocaleString('en')} files of ~100 B (500 per directory), local disk`,
        columns: ['format', 'operation', 'seconds', 'peak RSS (MiB)'],
        rows,
      });

      // Incremental growth.
      const growth: string[][] = [];
      const cases: {
        name: string;
        prepare: (dir: string) => Promise<void>;
        change: (dir: string) => Promise<void>;
      }[] = [
        {
          name: `1 MiB rewritten inside a ${formatBytes(bigBytes)} file`,
          prepare: (dir) => writeFile(join(dir, 'big.bin'), randomBytes(bigBytes)),
          change: async (dir) => {
            const { open } = await import('node:fs/promises');
            const f = await open(join(dir, 'big.bin'), 'r+');
            await f.write(randomBytes(2 ** 20), 0, 2 ** 20, Math.floor(bigBytes / 2));
            await f.close();
          },
        },
        {
          name: `1 MiB appended to a ${formatBytes(bigBytes / 4)} file`,
          prepare: (dir) => writeFile(join(dir, 'dump.sql'), randomBytes(bigBytes / 4)),
          change: async (dir) => {
            const { appendFile } = await import('node:fs/promises');
            await appendFile(join(dir, 'dump.sql'), randomBytes(2 ** 20));
          },
        },
        {
          name: 'a directory of 20 × 1 MiB files renamed',
          prepare: async (dir) => {
            await mkdir(join(dir, 'photos'));
            for (let i = 0; i < 20; i++)
              await writeFile(join(dir, 'photos', `p${i}.jpg`), randomBytes(2 ** 20));
          },
          change: (dir) => rename(join(dir, 'photos'), join(dir, 'pictures')),
        },
      ];
      for (const c of cases) {
        const row = [c.name];
        for (const format of ['sealstream'] as const) {
          const dir = join(work, `growth-${format}`);
          const collection = join(work, `growth-${format}-c`);
          await rm(dir, { recursive: true, force: true });
          await rm(collection, { recursive: true, force: true });
          await mkdir(dir);
          await c.prepare(dir);
          const job = { tree: dir, collection, key };
          await runChild({ ...job, op: 'full' });
          const before = await duBytes(collection);
          await c.change(dir);
          await runChild({ ...job, op: 'incremental' });
          const grew = (await duBytes(collection)) - before;
          data[`growth-${format}-${c.name}`] = grew;
          row.push(formatBytes(grew));
        }
        growth.push(row);
      }
      tables.push({
        title: 'what an incremental layer stores (collection bytes added)',
        columns: ['change', 'sealstream'],
        rows: growth,
      });
      return { tables, data };
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  },
};
export default suite;
