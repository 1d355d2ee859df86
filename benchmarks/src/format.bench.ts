import { execFile } from 'node:child_process';
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
import { fileURLToPath } from 'node:url';
import type { BenchSuite, ReportTable } from './BenchSuite.ts';
import { formatBytes, formatSummary, formatValue } from './formatNumbers.ts';
import { type ProcessCost, RESTIC_MISSING, ResticRepo, resticVersion } from './formatRestic.ts';
import { summarize } from './summarize.ts';

const child = fileURLToPath(new URL('formatChild.ts', import.meta.url));
const MiB = 2 ** 20;

/** One sealstream operation in a process of its own (see formatChild.ts). */
function sealstream(job: Record<string, string>): Promise<ProcessCost> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--conditions=@sealstream/source', '--import', 'tsx', child, JSON.stringify(job)],
      { maxBuffer: 1 << 20, timeout: 3_600_000 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`sealstream ${job.op} failed: ${stderr || err.message}`));
        else resolve(JSON.parse(stdout.trim().split('\n').pop() as string) as ProcessCost);
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

/** Regular files under `dir`. */
async function countFiles(dir: string): Promise<number> {
  let n = 0;
  for (const d of await readdir(dir, { withFileTypes: true, recursive: true })) if (d.isFile()) n++;
  return n;
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

const OPS = ['full', 'incremental', 'restore'] as const;
type Op = (typeof OPS)[number];
/** The goals of collection format v2: speed relative to restic (restic seconds ÷ sealstream seconds). */
const SPEED_GOAL: Record<Op, number | undefined> = {
  full: 1.5,
  incremental: 1.0,
  restore: undefined,
};
const RSS_GOAL = 256 * MiB;

const mib = (bytes: number) => formatValue(bytes / MiB);

/**
 * sealstream beside restic on the same trees, in one run. A tree of many small files: full
 * backup, no-change incremental and restore, each tool in its own process (sealstream through the
 * library with a local key on local disk, restic 0.14 with a local repository), timed and its
 * peak RSS taken, in rounds whose order alternates; speed ratios (restic seconds ÷ sealstream
 * seconds) are taken within each round. Then what an incremental stores after an edit inside a
 * large file, an append to a stream-like file, and a renamed directory, for both tools.
 */
const suite: BenchSuite = {
  name: 'format',
  description:
    'collection format beside restic: many small files (time, peak RSS) and incremental growth',
  async run(ctx) {
    const files = Number(ctx.options['format-files'] ?? (ctx.quick ? 10_000 : 100_000));
    const rounds = Number(ctx.options['format-rounds'] ?? (ctx.quick ? 1 : 3));
    const bigBytes = (ctx.quick ? 64 : 200) * MiB;
    const work = await mkdtemp(join(tmpdir(), 'sealstream-bench-format-'));
    const key = randomBytes(32).toString('hex');
    const restic = await resticVersion();
    const notes: string[] = [];
    if (restic === undefined) notes.push(`${RESTIC_MISSING} — the restic columns are empty`);
    const tables: ReportTable[] = [];
    const data: Record<string, unknown> = { files, rounds, restic: restic ?? null };
    try {
      // Many small files.
      const tree = join(work, 'small');
      ctx.log(`writing ${files} files of about 100 B under ${tree}`);
      await smallFiles(tree, files);
      const samples: Record<string, ProcessCost[]> = {};
      const keep = (name: string, r: ProcessCost) => {
        samples[name] ??= [];
        samples[name].push(r);
      };
      for (let round = 0; round < rounds; round++) {
        const tools = round % 2 === 0 ? ['sealstream', 'restic'] : ['restic', 'sealstream'];
        for (const tool of tools) {
          if (tool === 'restic' && restic === undefined) continue;
          const collection = join(work, `small-${tool}`);
          const to = join(work, `restored-${tool}`);
          await rm(collection, { recursive: true, force: true });
          const repo = new ResticRepo(collection, join(work, 'restic-cache'));
          if (tool === 'restic') await repo.init();
          for (const op of OPS) {
            ctx.log(`round ${round + 1}/${rounds}: ${tool} ${op}`);
            let r: ProcessCost;
            if (tool === 'sealstream') r = await sealstream({ op, tree, collection, key, to });
            else if (op === 'restore') r = await repo.restore(to);
            else r = await repo.backup(tree);
            keep(`${tool}-${op}`, r);
            if (op === 'restore') {
              const restored = await countFiles(to);
              if (restored !== files)
                throw new Error(`${tool} restored ${restored} files, expected ${files}`);
              await rm(to, { recursive: true, force: true });
            }
          }
          await rm(collection, { recursive: true, force: true });
        }
      }
      data.small = samples;
      const rows = OPS.map((op) => {
        const ours = samples[`sealstream-${op}`] ?? [];
        const theirs = samples[`restic-${op}`];
        const ourRss = Math.max(...ours.map((r) => r.peakRss));
        const row = [
          op,
          formatSummary(summarize(ours.map((r) => r.ms / 1000))),
          formatSummary(summarize(ours.map((r) => r.peakRss / MiB))),
        ];
        if (theirs === undefined) row.push(RESTIC_MISSING, '–', '–', '–');
        else {
          const speed = summarize(ours.map((r, i) => (theirs[i] as ProcessCost).ms / r.ms));
          const goal = SPEED_GOAL[op];
          row.push(
            formatSummary(summarize(theirs.map((r) => r.ms / 1000))),
            formatSummary(summarize(theirs.map((r) => r.peakRss / MiB))),
            formatSummary(speed, '×'),
            goal === undefined ? '–' : `≥ ${goal}× ${speed.median >= goal ? 'yes' : 'NO'}`,
          );
        }
        row.push(ourRss <= RSS_GOAL ? 'yes' : 'NO');
        return row;
      });
      tables.push({
        title: `${files.toLocaleString('en')} files of ~100 B (500 per directory), local disk — ${rounds} round(s), median (min–max)`,
        columns: [
          'operation',
          'sealstream s',
          'sealstream peak RSS MiB',
          'restic s',
          'restic peak RSS MiB',
          'speed vs restic',
          'goal',
          `RSS ≤ ${mib(RSS_GOAL)} MiB`,
        ],
        rows,
      });

      // Incremental growth.
      const growth: string[][] = [];
      const cases: {
        name: string;
        goal: number;
        prepare: (dir: string) => Promise<void>;
        change: (dir: string) => Promise<void>;
      }[] = [
        {
          name: `1 MiB rewritten inside a ${formatBytes(bigBytes)} file`,
          goal: 5 * MiB,
          prepare: (dir) => writeFile(join(dir, 'big.bin'), randomBytes(bigBytes)),
          change: async (dir) => {
            const f = await open(join(dir, 'big.bin'), 'r+');
            await f.write(randomBytes(MiB), 0, MiB, Math.floor(bigBytes / 2));
            await f.close();
          },
        },
        {
          name: `1 MiB appended to a ${formatBytes(bigBytes / 4)} file`,
          goal: 5 * MiB,
          prepare: (dir) => writeFile(join(dir, 'dump.sql'), randomBytes(bigBytes / 4)),
          change: (dir) => appendFile(join(dir, 'dump.sql'), randomBytes(MiB)),
        },
        {
          name: 'a directory of 20 × 1 MiB files renamed',
          goal: 256 * 1024,
          prepare: async (dir) => {
            await mkdir(join(dir, 'photos'));
            for (let i = 0; i < 20; i++)
              await writeFile(join(dir, 'photos', `p${i}.jpg`), randomBytes(MiB));
          },
          change: (dir) => rename(join(dir, 'photos'), join(dir, 'pictures')),
        },
      ];
      for (const c of cases) {
        const grew: Record<string, number> = {};
        for (const tool of ['sealstream', 'restic']) {
          if (tool === 'restic' && restic === undefined) continue;
          ctx.log(`growth, ${tool}: ${c.name}`);
          const dir = join(work, `growth-${tool}`);
          const collection = join(work, `growth-${tool}-c`);
          await rm(dir, { recursive: true, force: true });
          await rm(collection, { recursive: true, force: true });
          await mkdir(dir);
          await c.prepare(dir);
          const repo = new ResticRepo(collection, join(work, 'restic-cache'));
          const job = { tree: dir, collection, key };
          if (tool === 'restic') await repo.init();
          if (tool === 'restic') await repo.backup(dir);
          else await sealstream({ ...job, op: 'full' });
          const before = await duBytes(collection);
          await c.change(dir);
          if (tool === 'restic') await repo.backup(dir);
          else await sealstream({ ...job, op: 'incremental' });
          grew[tool] = (await duBytes(collection)) - before;
          await rm(dir, { recursive: true, force: true });
          await rm(collection, { recursive: true, force: true });
        }
        data[`growth: ${c.name}`] = grew;
        const ours = grew.sealstream as number;
        const theirs = grew.restic;
        growth.push([
          c.name,
          formatBytes(ours),
          theirs === undefined ? RESTIC_MISSING : formatBytes(theirs),
          theirs === undefined ? '–' : `${formatValue(ours / theirs)}×`,
          `≤ ${formatBytes(c.goal)} ${ours <= c.goal ? 'yes' : 'NO'}`,
        ]);
      }
      tables.push({
        title: 'what an incremental stores (repository bytes added)',
        columns: ['change', 'sealstream', 'restic', 'sealstream ÷ restic', 'goal (sealstream)'],
        rows: growth,
      });
      return { tables, notes, data };
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  },
};
export default suite;
