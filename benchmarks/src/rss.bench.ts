import type { BenchCase } from './BenchCase.ts';
import { formatNumber, formatRange } from './markdownTable.ts';
import { measureRss, type RssJob } from './measureRss.ts';
import { median } from './pairedRounds.ts';
import { formatBytes, MiB } from './sizes.ts';

/**
 * Peak RSS over the baseline while streaming bytes generated on the fly (4 × --input: 1 GiB)
 * through encryptStream, each job in a process of its own, beside the same pipeline with nothing
 * in it: the difference is what the cipher holds.
 */
export default {
  name: 'rss',
  summary: 'peak RSS streaming 1 GiB through encryptStream vs the bare pipeline (child processes)',
  async run({ quick, inputBytes, log }) {
    const bytes = 4 * inputBytes;
    const runs = quick ? 1 : 3;
    const key = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('hex');
    const jobs: { label: string; job: RssJob; over: number[]; mbps: number[] }[] = [
      { label: 'plumbing only (source → discard)', job: { kind: 'plumbing', bytes, key } },
      { label: 'encrypt, defaults', job: { kind: 'encrypt', bytes, key } },
      { label: 'encrypt, webcrypto', job: { kind: 'encrypt', bytes, key, engine: 'webcrypto' } },
      { label: 'encrypt → decrypt, defaults', job: { kind: 'encrypt+decrypt', bytes, key } },
    ].map((j) => ({ ...(j as { label: string; job: RssJob }), over: [], mbps: [] }));
    for (let i = 0; i < runs; i++)
      for (const { label, job, over, mbps } of jobs) {
        log(`${label}, run ${i + 1}/${runs}`);
        const r = await measureRss(job);
        over.push((r.peakRss - r.baselineRss) / MiB);
        mbps.push(bytes / 1e3 / r.ms);
      }
    const plumbing = median(jobs[0]?.over ?? []);
    return {
      tables: [
        {
          title: `Peak RSS streaming ${formatBytes(bytes)} generated on the fly, ${runs} run(s) each`,
          columns: ['job', 'peak over baseline, MiB', 'over plumbing only, MiB', 'MB/s'],
          rows: jobs.map(({ label, over, mbps }) => [
            label,
            formatRange(over),
            formatNumber(median(over) - plumbing),
            formatRange(mbps),
          ]),
        },
      ],
      notes: [
        'The source allocates a fresh 64 KiB chunk per read, like a file reader; "plumbing only" shows what that garbage alone costs.',
      ],
      data: { bytes, runs, jobs: jobs.map(({ label, over, mbps }) => ({ label, over, mbps })) },
    };
  },
} satisfies BenchCase;
