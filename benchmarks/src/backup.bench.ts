import { cp, mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CASE } from './aeadCases.ts';
import { decryptVariant, encryptVariant, sealWith } from './aeadVariants.ts';
import type { BenchSuite, ReportTable } from './BenchSuite.ts';
import { formatBytes, formatSummary } from './formatNumbers.ts';
import { type Comparison, goalTable } from './goalTable.ts';
import { loadAead } from './loadAead.ts';
import { loadAverage1, processCpuMs } from './machineInfo.ts';
import { checkTree, treeLayout, writeTree } from './makeTree.ts';
import { measureRss, peakOverBaseline, type RssReport } from './measureRss.ts';
import { parseSize } from './parseSizes.ts';
import { runPairedRounds, type Variant } from './runPairedRounds.ts';
import { sharedInput } from './sharedInput.ts';
import { throughputTable } from './throughputTable.ts';

/** The goals: orchestration ≥ 0.7× the bare stream, ≤ 128 MiB over baseline. */
export const BACKUP_RATIO_GOAL = 0.7;
export const BACKUP_RSS_GOAL = 128 * 2 ** 20;

const BARE_ENC = 'bare encryptStream, defaults (memory → discard)';
const BARE_DEC = 'bare decryptStream, defaults (memory → discard)';
const BACKUP = 'backup: full, local disk';
const RESTORE = 'restore: LATEST, local disk';
const COPY = 'ref: fs.cp of the tree (no crypto, no fsync)';
const DURABLE = 'ref: durable copy, local driver (no crypto, fsynced)';
const DISK = 'ref: the disk, one file of the same bytes (1 MiB writes, fsync)';

/**
 * A full backup and a restore of a 1 GiB tree (256 MiB in quick mode) on local disk, through
 * `@sealstream/backup` with a local-kms key, beside the bare encryptStream / decryptStream of the
 * same bytes in memory (same rounds, paired) and a plain copy of the tree; then the peak RSS of
 * each in a child process.
 */
const suite: BenchSuite = {
  name: 'backup',
  description:
    'backup and restore of a directory tree on local disk vs the bare encryptStream of the same bytes',
  async run(ctx) {
    const aead = await loadAead();
    if (typeof aead === 'string') throw new Error(aead);
    const [
      { backup, restore },
      { generateLocalKey, localKeyWrapper },
      { localStorage },
      { directoryTarget, walkDirectory, openFile },
    ] = await Promise.all([
      import('@sealstream/backup'),
      import('@sealstream/kms'),
      import('@sealstream/storage-local'),
      import('@sealstream/fs'),
    ]);
    const bytes = parseSize(ctx.options['backup-input'] ?? (ctx.quick ? '256M' : '1G'));
    const work = await mkdtemp(join(tmpdir(), 'sealstream-bench-backup-'));
    try {
      const content = sharedInput(bytes);
      const layout = treeLayout(bytes);
      const tree = join(work, 'tree');
      ctx.log(`writing a ${formatBytes(bytes)} tree of ${layout.files.length} files under ${work}`);
      await writeTree(tree, layout, content);
      const masterKey = generateLocalKey();
      const keys = [localKeyWrapper(masterKey)];
      const dataKey = crypto.getRandomValues(new Uint8Array(32));
      let n = 0;
      const scratch = () => join(work, `run-${n++}`);
      let current = '';
      const cleanup = async () => {
        if (current) await rm(current, { recursive: true, force: true });
        current = '';
      };
      const source = join(work, 'collection');
      ctx.log('taking the backup that the restore runs read');
      const first = await backup({
        collection: localStorage(source),
        entries: walkDirectory(tree),
        keys,
      });
      if (first.bytes !== bytes)
        throw new Error(`backup recorded ${first.bytes} bytes, expected ${bytes}`);

      const variants: Variant[] = [
        encryptVariant(aead, dataKey, content, DEFAULT_CASE, BARE_ENC),
        decryptVariant(
          aead,
          dataKey,
          await sealWith(aead, dataKey, content, DEFAULT_CASE),
          content,
          DEFAULT_CASE,
          BARE_DEC,
        ),
        {
          name: BACKUP,
          bytes,
          before: () => {
            current = scratch();
          },
          async run() {
            const r = await backup({
              collection: localStorage(current),
              entries: walkDirectory(tree),
              keys,
            });
            if (r.bytes !== bytes || r.objects < layout.files.length)
              throw new Error(`${BACKUP}: short backup`);
          },
          after: cleanup,
        },
        {
          name: RESTORE,
          bytes,
          before: () => {
            current = scratch();
          },
          async run() {
            const r = await restore({
              collection: localStorage(source),
              keys,
              target: await directoryTarget(current),
            });
            if (r.bytes !== bytes) throw new Error(`${RESTORE}: restored ${r.bytes} bytes`);
          },
          async check() {
            const out = scratch();
            await restore({
              collection: localStorage(source),
              keys,
              target: await directoryTarget(out),
            });
            await checkTree(out, layout, content);
            await rm(out, { recursive: true, force: true });
          },
          after: cleanup,
        },
        {
          // What the disk costs with no crypto: every file streamed through the local driver
          // (fsync, rename, directory fsync), 8 at a time like a backup, nothing packed.
          name: DURABLE,
          bytes,
          before: () => {
            current = scratch();
          },
          async run() {
            const target = localStorage(current);
            const files: { name: string; path: string; size: number }[] = [];
            for await (const e of walkDirectory(tree))
              if (e.type === 'file')
                files.push({ name: e.name, path: join(tree, e.name), size: e.size ?? 0 });
            let next = 0;
            await Promise.all(
              Array.from({ length: 8 }, async () => {
                while (next < files.length) {
                  const f = files[next++] as (typeof files)[number];
                  await openFile(f.path, f.size).pipeTo(
                    await target.write(f.name, { size: f.size }),
                  );
                }
              }),
            );
          },
          after: cleanup,
        },
        {
          // The disk's own bound, what `dd bs=1M conv=fsync` measures: a backup and a restore
          // each write this many bytes durably, so neither can be faster than this.
          name: DISK,
          bytes,
          before: async () => {
            current = scratch();
            await mkdir(current, { recursive: true });
          },
          async run() {
            const file = await open(join(current, 'blob'), 'w');
            try {
              for (let o = 0; o < content.length; o += 2 ** 20)
                await file.write(content.subarray(o, o + 2 ** 20));
              await file.sync();
            } finally {
              await file.close();
            }
          },
          after: cleanup,
        },
        {
          name: COPY,
          bytes,
          before: () => {
            current = scratch();
          },
          run: () => cp(tree, current, { recursive: true }),
          after: cleanup,
        },
      ];
      ctx.log(`${variants.length} variants × ${ctx.rounds} rounds (${formatBytes(bytes)})`);
      const result = await runPairedRounds(variants, {
        rounds: ctx.rounds,
        warmup: ctx.warmup,
        log: ctx.log,
        loadAverage: loadAverage1,
        cpuClock: processCpuMs,
      });
      const comparisons: Comparison[] = [
        {
          label: 'backup / bare encryptStream',
          result,
          of: BACKUP,
          to: BARE_ENC,
          goal: BACKUP_RATIO_GOAL,
        },
        {
          label: 'restore / bare encryptStream',
          result,
          of: RESTORE,
          to: BARE_ENC,
          goal: BACKUP_RATIO_GOAL,
        },
        { label: 'restore / bare decryptStream', result, of: RESTORE, to: BARE_DEC },
        { label: 'backup / plain copy', result, of: BACKUP, to: COPY },
        { label: 'backup / durable copy (no crypto)', result, of: BACKUP, to: DURABLE },
        { label: 'restore / durable copy (no crypto)', result, of: RESTORE, to: DURABLE },
        { label: 'backup / the disk', result, of: BACKUP, to: DISK },
        { label: 'restore / the disk', result, of: RESTORE, to: DISK },
        // Above 0.7 only if the disk itself writes faster than 0.7× the bare stream.
        { label: 'the disk / bare encryptStream', result, of: DISK, to: BARE_ENC },
      ];
      const goals = goalTable('Goals (paired per round)', comparisons);

      const rss: { job: string; report: RssReport }[] = [];
      const keyHex = Buffer.from(masterKey).toString('hex');
      ctx.log('peak RSS of a backup in a child process');
      rss.push({
        job: 'backup',
        report: await measureRss({ kind: 'backup', bytes, keyHex, tree, collection: scratch() }),
      });
      ctx.log('peak RSS of a restore in a child process');
      rss.push({
        job: 'restore',
        report: await measureRss({
          kind: 'restore',
          bytes,
          keyHex,
          collection: source,
          target: scratch(),
        }),
      });
      const MiB = 2 ** 20;
      const rssTable: ReportTable = {
        title: `Peak RSS over baseline, ${formatBytes(bytes)} tree (child process, MiB)`,
        columns: [
          'job',
          'baseline RSS',
          'peak over baseline',
          'MB/s',
          `≤ ${BACKUP_RSS_GOAL / MiB} MiB`,
        ],
        rows: rss.map(({ job, report }) => [
          job,
          formatSummary({ median: report.baselineRss / MiB, min: 0, max: 0, n: 1 }),
          formatSummary({ median: peakOverBaseline(report) / MiB, min: 0, max: 0, n: 1 }),
          formatSummary({ median: report.bytes / 1e6 / report.seconds, min: 0, max: 0, n: 1 }),
          peakOverBaseline(report) <= BACKUP_RSS_GOAL ? 'yes' : 'NO',
        ]),
      };
      return {
        tables: [goals.table, throughputTable('Backup and restore', result, BARE_ENC), rssTable],
        notes: [
          `Tree: ${layout.files.length} files (one of ${formatBytes(layout.files[0]?.length ?? 0)}, 16 medium, small files in 16 directories, the rest 1 MiB); a local-kms key; fresh collection / target directory per run, deleted outside the timing.`,
          'Reads of the tree come from the page cache (it was just written); writes are fsynced by the local storage driver and the restore target.',
        ],
        data: { bytes, files: layout.files.length, result, comparisons: goals.outcomes, rss },
      };
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  },
};
export default suite;
