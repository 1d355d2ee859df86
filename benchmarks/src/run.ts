/**
 * `pnpm bench [CASE…] [options]`: runs the named cases (all when none is named), prints their
 * tables as markdown and writes one JSON result per case to benchmarks/results/. Never fails on a
 * number; exits 1 when a case crashed.
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { cases } from './cases.ts';
import { markdownTable } from './markdownTable.ts';
import { writeResult } from './results.ts';
import { formatBytes, parseSize } from './sizes.ts';

const USAGE = `Usage: pnpm bench [CASE…] [options]

Cases:
${cases.map((c) => `  ${c.name.padEnd(12)} ${c.summary}`).join('\n')}

Options:
  --quick           small inputs, 3 rounds: shows a case works (or SEALSTREAM_BENCH_QUICK=1)
  --rounds=N        timed paired rounds (default 5; quick 3)
  --input=SIZE      input of the throughput cases (default 256M; quick 32M); the rss and
                    backup cases use 4 × SIZE
  aead:     --engines=node,webcrypto,noble  --segments=64K,1M  --in-flight=1,4  --peers=0
  backup:   --files=N        small files in the tree (default 256)
  scale:    --counts=N,N,…   trees of small files (default 10000,100000,1000000; quick 2000,20000)
  storage:  --backends=azure,s3,gcs  (SEALSTREAM_BENCH_LARGE=1: 1 GiB objects)
  runtimes: --runtimeMiB=N   MiB sealed per call (default input ÷ 4, at most 64)`;

const text = (description: string) => ({ type: 'string', description }) as const;
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    quick: { type: 'boolean', default: process.env.SEALSTREAM_BENCH_QUICK === '1' },
    rounds: text('timed paired rounds'),
    input: text('input size'),
    help: { type: 'boolean', short: 'h' },
    engines: text('aead engines'),
    segments: text('aead segment sizes'),
    'in-flight': text('aead segments in flight'),
    peers: text('aead: 0 skips the peers'),
    files: text('backup: small files'),
    counts: text('scale: file counts'),
    backends: text('storage servers'),
    runtimeMiB: text('runtimes: MiB per call'),
  },
});

const unknown = positionals.filter((p) => !cases.some((c) => c.name === p));
if (values.help || unknown.length > 0) {
  if (unknown.length > 0) console.error(`No case named ${unknown.join(', ')}.\n`);
  console.log(USAGE);
  process.exit(unknown.length > 0 ? 2 : 0);
}

const { quick, help: _, ...flags } = values;
const { rounds = quick ? '3' : '5', input = quick ? '32M' : '256M' } = flags;
const inputBytes = parseSize(input);
const machine = `${cpus()[0]?.model.trim()} × ${cpus().length}, Node ${process.version}`;
console.log(
  `# sealstream benchmarks, ${quick ? 'quick' : 'full'} run: ${rounds} paired rounds, input ${formatBytes(inputBytes)}\n\n` +
    `${machine}, load average ${loadavg()[0]?.toFixed(2)}. Absolute MB/s vary with the load; the per-round ratios hold.\n`,
);

let crashed = 0;
for (const c of cases.filter((c) => positionals.length === 0 || positionals.includes(c.name))) {
  console.log(`## ${c.name}: ${c.summary}\n`);
  const load = loadavg()[0]?.toFixed(2);
  try {
    const report = await c.run({
      quick,
      rounds: Number(rounds),
      inputBytes,
      flags,
      log: (line) => process.stderr.write(`[${c.name}] ${line}\n`),
    });
    for (const table of report.tables) console.log(markdownTable(table));
    for (const note of report.notes ?? []) console.log(`> ${note}\n`);
    const path = await writeResult({
      ...report,
      case: c.name,
      quick,
      finishedAt: new Date().toISOString(),
      machine: `${machine}, load average ${load} → ${loadavg()[0]?.toFixed(2)}`,
      flags,
    });
    console.log(`> JSON: ${path}\n`);
  } catch (e) {
    crashed++;
    console.error(`!! ${c.name} CRASHED: ${(e as Error).stack ?? e}`);
  }
}
process.exitCode = crashed > 0 ? 1 : 0;
