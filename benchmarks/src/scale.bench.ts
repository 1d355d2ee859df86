import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchCase } from './BenchCase.ts';
import { PER_DIRECTORY, writeScaleTree } from './makeTree.ts';
import { formatNumber } from './markdownTable.ts';
import { runTool, type ToolCost, toolVersion } from './runTool.ts';
import { MiB } from './sizes.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'packages/cli/dist/bin.js');

/**
 * The `sealstream` command's full backup of trees of 10,000, 100,000 and 1,000,000 small files
 * (`--counts`), one run each, beside restic's: wall time and peak RSS (GNU time's maximum
 * resident set) of each, so that memory can be seen not to grow with the file count. The CLI is
 * built first and run from its build, as a user runs it (its heap setting included).
 */
export default {
  name: 'scale',
  summary: 'the CLI full backup of 10k / 100k / 1M small files vs restic: wall time, peak RSS',
  async run({ quick, flags, log }) {
    const counts = (flags.counts ?? (quick ? '2000,20000' : '10000,100000,1000000'))
      .split(',')
      .map(Number);
    if (counts.some((n) => !Number.isSafeInteger(n) || n < 1))
      throw new RangeError(`--counts must list file counts, received ${flags.counts}`);
    log('building the CLI (pnpm --filter @sealstream/cli... build)');
    await runTool('cd "$ROOT" && pnpm --silent --filter "@sealstream/cli..." build', { ROOT });
    const work = await mkdtemp(join(tmpdir(), 'sealstream-bench-scale-'));
    const notes: string[] = [
      'One run of each per tree, the tree in the page cache; sealstream fsyncs what it writes, restic does not.',
      'Peak RSS is the largest resident set of the process (GNU time %M), start-up included.',
    ];
    const restic = await toolVersion('restic', ['version']);
    if (!restic) notes.push('SKIPPED restic: not on PATH (Debian: apt-get install restic).');
    else notes.push(`${restic}; its times include its start-up.`);
    const rows: string[][] = [];
    const data: object[] = [];
    try {
      const pass = join(work, 'pass');
      await writeFile(pass, 'a passphrase for the scale benchmark\n', { mode: 0o600 });
      for (const files of counts) {
        const run = join(work, String(files));
        const tree = join(run, 'tree');
        log(`writing ${files} files under ${tree}`);
        writeScaleTree(tree, files);
        await runTool('sync');
        log(`sealstream backup of ${files} files`);
        const ours = await runTool(
          'node "$CLI" backup "$TREE" --into "file://$OUT" --passphrase-file "$PASS" --kdf pbkdf2 --json',
          { CLI, TREE: tree, OUT: join(run, 'sealstream'), PASS: pass },
        );
        let theirs: ToolCost | undefined;
        if (restic) {
          await runTool('sync');
          log(`restic backup of ${files} files`);
          theirs = await runTool(
            'restic -r "$OUT" init --quiet && restic -r "$OUT" backup --quiet "$TREE"',
            {
              RESTIC_PASSWORD: 'bench',
              RESTIC_CACHE_DIR: join(run, 'restic-cache'),
              TREE: tree,
              OUT: join(run, 'restic'),
            },
          );
        }
        rows.push([
          formatNumber(files),
          formatNumber(ours.ms / 1000),
          formatNumber(ours.peakRss / MiB),
          theirs ? formatNumber(theirs.ms / 1000) : '—',
          theirs ? formatNumber(theirs.peakRss / MiB) : '—',
          theirs ? `${formatNumber(theirs.ms / ours.ms)}×` : '—',
        ]);
        data.push({ files, sealstream: ours, restic: theirs });
        // Each tree and what was made of it is deleted before the next tree is written: a
        // 1,000,000-file tree is about 4 GB of disk.
        await rm(run, { recursive: true, force: true });
      }
      return {
        tables: [
          {
            title: `Full backup of small files (${PER_DIRECTORY} a directory), the CLI, local disk, passphrase`,
            columns: [
              'files',
              'sealstream s',
              'sealstream peak RSS, MiB',
              'restic s',
              'restic peak RSS, MiB',
              'speed vs restic',
            ],
            rows,
          },
        ],
        notes,
        data,
      };
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  },
} satisfies BenchCase;
