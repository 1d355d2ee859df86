/**
 * `pnpm bench [SUITE…] [--quick] …` — finds every `src/*.bench.ts`, runs the selected suites one
 * after another, prints their tables (markdown) and writes one JSON file per suite to
 * `benchmarks/results/`. Never fails on a number; exits 1 only if a suite crashed.
 */
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { BenchContext, BenchSuite } from './BenchSuite.ts';
import { formatBytes } from './formatNumbers.ts';
import { cpuShares, cpuTimes, machineInfo } from './machineInfo.ts';
import { parseBenchArgs, USAGE } from './parseBenchArgs.ts';
import { renderTable } from './renderTable.ts';
import { writeResults } from './writeResults.ts';

const srcDir = fileURLToPath(new URL('.', import.meta.url));

/** Imports every `src/*.bench.ts`; a file that fails to load becomes a suite that reports why. */
async function discoverSuites(): Promise<{ file: string; suite: BenchSuite }[]> {
  const files = (await readdir(srcDir)).filter((f) => f.endsWith('.bench.ts')).sort();
  const found: { file: string; suite: BenchSuite }[] = [];
  for (const file of files) {
    try {
      const mod = (await import(new URL(file, import.meta.url).href)) as {
        default?: BenchSuite | BenchSuite[];
      };
      const suites = Array.isArray(mod.default) ? mod.default : mod.default ? [mod.default] : [];
      if (suites.length === 0) throw new Error(`${file} has no default export of a BenchSuite`);
      for (const suite of suites) found.push({ file, suite });
    } catch (e) {
      found.push({
        file,
        suite: {
          name: file.replace(/\.bench\.ts$/, ''),
          description: `(${file} failed to load)`,
          run: () => Promise.reject(new Error(`${file} failed to load`, { cause: e })),
        },
      });
    }
  }
  return found;
}

async function main(): Promise<number> {
  const args = parseBenchArgs(process.argv.slice(2), process.env);
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const all = await discoverSuites();
  if (args.list) {
    for (const { file, suite } of all)
      console.log(`${suite.name.padEnd(12)} ${suite.description}  [${file}]`);
    return 0;
  }
  const selected =
    args.filters.length === 0
      ? all
      : all.filter(({ suite }) => args.filters.some((f) => suite.name.toLowerCase().includes(f)));
  if (selected.length === 0) {
    console.error(
      `No suite matches ${args.filters.join(', ')}. Suites: ${all.map((s) => s.suite.name).join(', ')}`,
    );
    return 1;
  }
  const machine = machineInfo();
  console.log(
    `# sealstream benchmarks — ${args.quick ? 'QUICK' : 'full'} mode, ${args.rounds} rounds, input ${formatBytes(args.inputBytes)}\n` +
      `${machine.cpuModel} × ${machine.cpus}, ${machine.totalMemMiB} MiB, Node ${machine.node}, ` +
      `load average ${machine.loadavg.join(' ')} (shared machine: expect ±25 % on absolute MB/s; paired ratios hold better)\n`,
  );
  let crashed = 0;
  for (const { suite } of selected) {
    const ctx: BenchContext = {
      quick: args.quick,
      inputBytes: args.inputBytes,
      rounds: args.rounds,
      warmup: args.warmup,
      options: args.options,
      log: (line) => process.stderr.write(`[${suite.name}] ${line}\n`),
    };
    const startedAt = new Date();
    const before = machineInfo();
    const cpuBefore = cpuTimes();
    console.log(`## ${suite.name}: ${suite.description}\n`);
    try {
      const report = await suite.run(ctx);
      const after = machineInfo();
      const cpuAfter = cpuTimes();
      const cpu = cpuBefore && cpuAfter ? cpuShares(cpuBefore, cpuAfter) : undefined;
      for (const table of report.tables) console.log(renderTable(table));
      for (const note of report.notes ?? []) console.log(`> ${note}`);
      const seconds = (Date.now() - startedAt.getTime()) / 1000;
      console.log(
        `> ${seconds.toFixed(0)} s; load average before ${before.loadavg.join(' ')}, after ${after.loadavg.join(' ')}` +
          (cpu
            ? `; whole machine busy ${(cpu.busy * 100).toFixed(0)} %, steal ${(cpu.steal * 100).toFixed(1)} %`
            : ''),
      );
      const path = await writeResults(suite.name, {
        suite: suite.name,
        description: suite.description,
        mode: args.quick ? 'quick' : 'full',
        args: { ...args, options: args.options },
        startedAt: startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
        machine: { ...before, loadavgAfter: after.loadavg, cpuDuringRun: cpu },
        tables: report.tables,
        notes: report.notes ?? [],
        ...report.data,
      });
      console.log(`> JSON: ${path}\n`);
    } catch (e) {
      crashed++;
      const cause = (e as Error).cause;
      const why =
        cause === undefined ? '' : `\n   cause: ${(cause as Error).stack ?? String(cause)}`;
      console.error(`!! suite ${suite.name} CRASHED: ${(e as Error).stack ?? e}${why}`);
    }
  }
  return crashed === 0 ? 0 : 1;
}

process.exitCode = await main();
