import type { BenchSuite, ReportTable } from './BenchSuite.ts';
import { formatBytes, formatSummary } from './formatNumbers.ts';
import { measureRss, peakOverBaseline, type RssJob, type RssReport } from './measureRss.ts';
import { parseSize } from './parseSizes.ts';
import { summarize } from './summarize.ts';

/** The goal: streaming 1 GiB stays within 64 MiB over the baseline. */
export const STREAM_RSS_GOAL = 64 * 2 ** 20;

const MiB = 2 ** 20;

/**
 * Peak RSS of a streamed encryption of 1 GiB (256 MiB in quick mode) generated on the fly, each
 * job in its own child process, beside the same pipeline without the cipher (plumbing) — RSS over
 * the child's baseline after a GC.
 */
const suite: BenchSuite = {
  name: 'rss',
  description: 'peak RSS over baseline of streaming 1 GiB through encryptStream (child processes)',
  async run(ctx) {
    const bytes = parseSize(ctx.options['rss-input'] ?? (ctx.quick ? '256M' : '1G'));
    const runs = ctx.quick ? 1 : 3;
    const keyHex = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('hex');
    const jobs: { label: string; job: RssJob }[] = [
      { label: 'plumbing only (source → discard)', job: { kind: 'plumbing', bytes, keyHex } },
      { label: 'encrypt, defaults', job: { kind: 'encrypt', bytes, keyHex } },
      { label: 'encrypt, webcrypto', job: { kind: 'encrypt', bytes, keyHex, engine: 'webcrypto' } },
      { label: 'encrypt → decrypt, defaults', job: { kind: 'encrypt+decrypt', bytes, keyHex } },
    ];
    const measured: { label: string; job: Omit<RssJob, 'keyHex'>; reports: RssReport[] }[] = [];
    for (let i = 0; i < runs; i++) {
      for (const { label, job } of jobs) {
        ctx.log(`${label}: ${formatBytes(bytes)}, run ${i + 1}/${runs}`);
        const report = await measureRss(job);
        let entry = measured.find((m) => m.label === label);
        if (!entry) {
          const { keyHex: _secret, ...shown } = job;
          entry = { label, job: shown, reports: [] };
          measured.push(entry);
        }
        entry.reports.push(report);
      }
    }
    const plumbing = measured.find((m) => m.job.kind === 'plumbing');
    const plumbingOver = plumbing
      ? summarize(plumbing.reports.map((r) => peakOverBaseline(r) / MiB)).median
      : 0;
    const rows = measured.map(({ label, reports }) => {
      const over = summarize(reports.map((r) => peakOverBaseline(r) / MiB));
      const base = summarize(reports.map((r) => r.baselineRss / MiB));
      const mbps = summarize(reports.map((r) => r.bytes / 1e6 / r.seconds));
      const goal = label.startsWith('plumbing')
        ? '–'
        : over.max <= STREAM_RSS_GOAL / MiB
          ? 'yes'
          : 'NO';
      const own = label.startsWith('plumbing')
        ? '–'
        : formatSummary(summarize(reports.map((r) => peakOverBaseline(r) / MiB - plumbingOver)));
      return [label, formatSummary(base), formatSummary(over), own, formatSummary(mbps), goal];
    });
    const table: ReportTable = {
      title: `Peak RSS, streaming ${formatBytes(bytes)} generated on the fly (${runs} run${runs > 1 ? 's' : ''} each, MiB)`,
      columns: [
        'job',
        'baseline RSS',
        'peak over baseline',
        'over plumbing-only peak',
        'MB/s',
        `≤ ${STREAM_RSS_GOAL / MiB} MiB (worst run)`,
      ],
      rows,
    };
    return {
      tables: [table],
      notes: [
        'Peak = max(VmHWM, 5 ms RSS samples); VmHWM includes start-up, so this is an upper bound.',
        'The source allocates a fresh 64 KiB chunk per read (like a file reader); "plumbing only" shows what that garbage alone costs before GC reclaims it, and "over plumbing-only peak" what the cipher adds.',
      ],
      data: { bytes, runs, goalBytes: STREAM_RSS_GOAL, measured },
    };
  },
};
export default suite;
