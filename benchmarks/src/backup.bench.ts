import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decryptStream, encryptStream } from '@sealstream/aead';
import { backup, restore } from '@sealstream/backup';
import { directoryTarget, walkDirectory } from '@sealstream/fs';
import { generateLocalKey, localKeyWrapper } from '@sealstream/kms';
import { localStorage } from '@sealstream/storage-local';
import { collect } from '@sealstream/streams';
import type { BenchCase } from './BenchCase.ts';
import { drain, randomInput, webSource } from './byteStreams.ts';
import { checkTree, treeLayout, writeTree } from './makeTree.ts';
import { formatNumber, pairedTable } from './markdownTable.ts';
import { measureRss } from './measureRss.ts';
import { type Contender, runPairedRounds } from './pairedRounds.ts';
import { runTool, toolVersion } from './runTool.ts';
import { formatBytes, MiB } from './sizes.ts';

const BACKUP = 'backup';
const INCREMENTAL = 'incremental, no change';
const RESTORE = 'restore';
const ENC = 'bare encryptStream';
const DEC = 'bare decryptStream';
const CREATE = "the disk: the tree's files written by writeFileSync, then sync -f";
const RESTIC_DURABLE = 'restic restore, then sync -f';

/**
 * A full backup, a no-change incremental and a restore of one tree on local disk (in this
 * process, local key), beside the bare encryptStream / decryptStream of the same bytes in memory
 * (the ceiling), one fsynced file of them and the tree's files written plainly then synced (the
 * disk's own bounds), and the peers restic (its restore also followed by a sync) and `tar | age`
 * when installed, all in the same paired rounds; then the peak RSS of each.
 */
export default {
  name: 'backup',
  summary: 'backup / restore of a tree vs the bare stream (ceiling), the disk, restic, tar | age',
  async run({ inputBytes, rounds, flags, log }) {
    const bytes = 4 * inputBytes;
    const layout = treeLayout(bytes, Number(flags.files ?? 256));
    const content = randomInput(bytes);
    const work = await mkdtemp(join(tmpdir(), 'sealstream-bench-backup-'));
    const at = (name: string) => join(work, name);
    const [tree, full, chain, check] = [at('tree'), at('full'), at('chain'), at('check')];
    const master = generateLocalKey();
    const keys = [localKeyWrapper(master)];
    const take = (to: string, incremental = false) =>
      backup({ collection: localStorage(to), entries: walkDirectory(tree), keys, incremental });
    const bring = async (to: string) =>
      restore({ collection: localStorage(full), keys, target: await directoryTarget(to) });
    let n = 0;
    let out = '';
    /**
     * Before each run, untimed, the page cache's dirty data is written out: a run that makes its
     * output durable (sealstream's restore ends with syncfs) must not pay for what the runs
     * before it left unwritten (restic and tar do not fsync).
     */
    const settled = { before: () => runTool('sync', {}) };
    /**
     * Each run writes into a fresh directory, kept until the case ends: deleting a tree of many
     * files slows the creation of files on the same file system for minutes after (ext4 with
     * `discard`), which would charge whichever contender ran next.
     */
    const fresh = {
      before: async () => {
        out = at(`run-${n++}`);
        await settled.before();
      },
    };
    const peakRss: Record<string, number> = {};
    /** A peer: `script` in bash with TREE, OUT and `env` set; `restored` says where OUT has the tree. */
    const tool = (name: string, script: string, env: object, restored?: (o: string) => string) => {
      const run = async (to: string) => runTool(script, { ...env, TREE: tree, OUT: to });
      const verify = async () => {
        await run(check);
        await checkTree(restored?.(check) ?? check, layout, content);
        await rm(check, { recursive: true });
      };
      return {
        name,
        bytes,
        ...fresh,
        run: async () => {
          peakRss[name] = (await run(out)).peakRss;
        },
        ...(restored ? { check: verify } : {}),
      } satisfies Contender;
    };
    try {
      log(`writing ${layout.length} files, ${formatBytes(bytes)}, under ${work}`);
      await writeTree(tree, layout, content);
      await take(full);
      await take(chain);
      const key = crypto.getRandomValues(new Uint8Array(32));
      const sealed = await collect(webSource(content).pipeThrough(encryptStream(key)));
      const contenders: Contender[] = [
        { name: ENC, bytes, run: () => drain(webSource(content).pipeThrough(encryptStream(key))) },
        { name: DEC, bytes, run: () => drain(webSource(sealed).pipeThrough(decryptStream(key))) },
        { name: BACKUP, bytes, ...fresh, run: () => take(out) },
        { name: INCREMENTAL, bytes, ...settled, run: () => take(chain, true) },
        {
          name: RESTORE,
          bytes,
          ...fresh,
          run: () => bring(out),
          check: async () => {
            await bring(check);
            await checkTree(check, layout, content);
            await rm(check, { recursive: true });
          },
        },
        {
          // A restore creates at least these files and makes them durable: it cannot beat this.
          name: CREATE,
          bytes,
          ...fresh,
          run: async () => {
            for (const f of layout) {
              mkdirSync(join(out, f.path, '..'), { recursive: true });
              writeFileSync(join(out, f.path), content.subarray(f.offset, f.offset + f.length));
            }
            await runTool('sync -f "$OUT"', { OUT: out });
          },
        },
        {
          // A backup or a restore writes at least these bytes durably: it cannot beat this.
          name: 'the disk: one file, 1 MiB writes, fsync',
          bytes,
          ...fresh,
          run: async () => {
            await mkdir(out);
            const file = await open(join(out, 'blob'), 'w');
            for (let o = 0; o < bytes; o += MiB) await file.write(content.subarray(o, o + MiB));
            await file.sync();
            await file.close();
          },
        },
      ];
      const pairs: [string, string][] = [
        [BACKUP, ENC],
        [RESTORE, DEC],
        [RESTORE, CREATE],
        ['the disk: one file, 1 MiB writes, fsync', ENC],
      ];
      const notes = [
        'The tree is read from the page cache; sealstream fsyncs what it writes.',
        'Every run writes into a new directory, and none is deleted before the case ends: deleting a tree of many files slows creating files for minutes after.',
      ];

      const restic = await toolVersion('restic', ['version']);
      if (!restic) notes.push('SKIPPED restic: not on PATH (Debian: apt-get install restic).');
      else {
        const repo = at('restic');
        const env = { RESTIC_PASSWORD: 'bench', RESTIC_CACHE_DIR: at('restic-cache') };
        const init = 'restic -r "$OUT" init --quiet && restic -r "$OUT" backup --quiet "$TREE"';
        await runTool(init, { ...env, TREE: tree, OUT: repo });
        const inRepo = { ...env, RESTIC_REPOSITORY: repo };
        contenders.push(
          tool('restic backup', init, env),
          tool('restic backup, no change', 'restic backup --quiet "$TREE"', inRepo),
          tool('restic restore', 'restic restore latest --quiet --target "$OUT"', inRepo, (o) =>
            join(o, tree),
          ),
          tool(
            RESTIC_DURABLE,
            'restic restore latest --quiet --target "$OUT" && sync -f "$OUT"',
            inRepo,
          ),
        );
        pairs.push(
          [BACKUP, 'restic backup'],
          [INCREMENTAL, 'restic backup, no change'],
          [RESTORE, 'restic restore'],
          [RESTORE, RESTIC_DURABLE],
        );
        notes.push(
          `${restic}; its times include its start-up. Its restore does not fsync: "${RESTIC_DURABLE}" adds what sealstream's restore does before it returns.`,
        );
      }

      const age = await toolVersion('age');
      if (!age) notes.push('SKIPPED tar | age: `age` not on PATH (Debian: apt-get install age).');
      else {
        const env = { ID: at('age.key'), ARCHIVE: at('tree.tar.age') };
        const pack = 'tar -cf - -C "$TREE" . | age -R <(age-keygen -y "$ID") -o "$OUT"';
        await runTool('age-keygen -o "$ID" 2>/dev/null', env);
        await runTool(pack, { ...env, TREE: tree, OUT: env.ARCHIVE });
        const unpack = 'mkdir "$OUT" && age -d -i "$ID" "$ARCHIVE" | tar -xf - -C "$OUT"';
        contenders.push(
          tool('tar | age', pack, env),
          tool('age -d | tar -x', unpack, env, (o) => o),
        );
        pairs.push([BACKUP, 'tar | age'], [RESTORE, 'age -d | tar -x']);
        notes.push(`age ${age}: one archive, no chunking, no fsync.`);
      }

      log(`${contenders.length} contenders × ${rounds} rounds`);
      const result = await runPairedRounds(contenders, { rounds, log });
      const job = { key: Buffer.from(master).toString('hex'), tree, target: at('rss') };
      log('peak RSS of a backup and a restore, each in a process of its own');
      const rssBackup = await measureRss({ ...job, kind: 'backup', collection: at('c') });
      const rssRestore = await measureRss({ ...job, kind: 'restore', collection: full });
      Object.assign(peakRss, { [BACKUP]: rssBackup.peakRss, [RESTORE]: rssRestore.peakRss });
      return {
        tables: [
          pairedTable(`${layout.length} files, ${formatBytes(bytes)}, local disk`, result, pairs),
          {
            title: 'Peak RSS of one run, start-up included',
            columns: ['job', 'MiB'],
            rows: Object.entries(peakRss).map(([job, rss]) => [job, formatNumber(rss / MiB)]),
          },
        ],
        notes,
        data: { bytes, files: layout.length, result, peakRss },
      };
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  },
} satisfies BenchCase;
