import { Bench } from 'tinybench';
import { type Summary, summarize } from './summarize.ts';

/** One thing to time: a closure doing the whole job once (e.g. stream 256 MiB through a cipher). */
export interface Variant {
  /** Unique within one paired run; shown in tables. */
  readonly name: string;
  /** Plaintext bytes one run processes, for MB/s (1 MB = 1e6 bytes). Omit for pure latency. */
  readonly bytes?: number;
  /** Does the job once. Timed by tinybench. */
  readonly run: () => unknown;
  /** Untimed correctness check run once before any round; throws if the variant is broken. */
  readonly check?: () => unknown;
  /** Untimed preparation before each run (e.g. make an empty target directory). */
  readonly before?: () => unknown;
  /** Untimed clean-up after each run (e.g. delete what the run wrote). */
  readonly after?: () => unknown;
}

/** Per-variant samples of a paired run, one entry per timed round, in round order. */
export interface VariantResult {
  readonly name: string;
  readonly bytes: number | undefined;
  /** Wall-clock milliseconds per round. */
  readonly ms: readonly number[];
  /** MB/s per round (1 MB = 1e6 bytes), when `bytes` is known. */
  readonly mbps: readonly number[] | undefined;
  readonly msSummary: Summary;
  readonly mbpsSummary: Summary | undefined;
  /**
   * CPU milliseconds this process spent per round (all threads, user + system), when a
   * `cpuClock` was given. CPU ÷ wall shows how many cores a variant kept busy; unlike wall time
   * it hardly moves when other processes compete for the cores.
   */
  readonly cpuMs: readonly number[] | undefined;
  readonly cpuMsSummary: Summary | undefined;
}

export interface PairedResult {
  readonly rounds: number;
  readonly variants: readonly VariantResult[];
  /** Load average (1 min) sampled before each timed round. */
  readonly loadBeforeRound: readonly number[];
}

export interface PairedOptions {
  /** Timed rounds (≥ 1). */
  readonly rounds: number;
  /** Run one untimed round first (JIT, caches, thread pool). Default true. */
  readonly warmup?: boolean;
  /** Progress lines. */
  readonly log?: (line: string) => void;
  /** Load-average probe (defaults to none); injected so this file stays free of `node:os`. */
  readonly loadAverage?: () => number;
  /** Process CPU time in ms (e.g. from `process.cpuUsage()`), read just around each timed run. */
  readonly cpuClock?: () => number;
}

/**
 * Times every variant once per round, all variants in each round, with the order rotated from
 * round to round, so that the ratios between variants can be taken **per round** (paired):
 * machine-wide slowdowns hit every variant of a round alike and cancel out in the ratio.
 * Each round is one tinybench `Bench` with one iteration per task and no time budget.
 *
 * @example
 * ```ts
 * import { runPairedRounds } from './runPairedRounds.ts';
 * const buf = new Uint8Array(1 << 20);
 * const result = await runPairedRounds(
 *   [
 *     { name: 'slice', bytes: buf.byteLength, run: () => void buf.slice() },
 *     { name: 'fill', bytes: buf.byteLength, run: () => void buf.fill(1) },
 *   ],
 *   { rounds: 3 },
 * );
 * console.assert(result.variants[0]?.ms.length === 3);
 * ```
 */
export async function runPairedRounds(
  variants: readonly Variant[],
  options: PairedOptions,
): Promise<PairedResult> {
  const { rounds, warmup = true, log = () => {}, loadAverage, cpuClock } = options;
  if (!Number.isInteger(rounds) || rounds < 1) {
    throw new RangeError(
      `Cannot run paired rounds as rounds must be an integer >= 1: received ${rounds}`,
    );
  }
  if (variants.length === 0) throw new RangeError('Cannot run paired rounds without variants');
  const names = new Set<string>();
  for (const v of variants) {
    if (names.has(v.name)) throw new RangeError(`Duplicate variant name: ${v.name}`);
    names.add(v.name);
  }

  for (const v of variants) {
    if (v.check) await v.check();
  }
  const ms = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  const cpu = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  const loadBeforeRound: number[] = [];
  const total = rounds + (warmup ? 1 : 0);
  for (let r = 0; r < total; r++) {
    const timed = !warmup || r > 0;
    const label = timed ? `round ${warmup ? r : r + 1}/${rounds}` : 'warm-up round';
    if (timed && loadAverage) loadBeforeRound.push(loadAverage());
    const bench = new Bench({ name: label, iterations: 1, time: 0, warmup: false, throws: true });
    for (let i = 0; i < variants.length; i++) {
      const v = variants[(i + r) % variants.length] as Variant;
      // async: true stops tinybench from calling the function once more to find out.
      // Hooks run outside tinybench's timed window.
      let cpuStart = 0;
      bench.add(v.name, v.run, {
        async: true,
        beforeEach: async () => {
          await v.before?.();
          if (cpuClock) cpuStart = cpuClock();
        },
        afterEach: async () => {
          if (cpuClock && timed) cpu.get(v.name)?.push(cpuClock() - cpuStart);
          await v.after?.();
        },
      });
    }
    const started = performance.now();
    await bench.run();
    for (const task of bench.tasks) {
      const result = task.result;
      if (result.state !== 'completed') {
        throw new Error(`Variant ${task.name} did not complete (${result.state})`, {
          cause: 'error' in result ? result.error : undefined,
        });
      }
      if (timed) ms.get(task.name)?.push(result.latency.mean);
    }
    log(`  ${label} done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }

  return {
    rounds,
    loadBeforeRound,
    variants: variants.map((v) => {
      const samples = ms.get(v.name) as number[];
      const bytes = v.bytes;
      const mbps = bytes === undefined ? undefined : samples.map((t) => bytes / 1e6 / (t / 1000));
      const cpuMs = cpuClock ? (cpu.get(v.name) as number[]) : undefined;
      return {
        name: v.name,
        bytes: v.bytes,
        ms: samples,
        mbps,
        msSummary: summarize(samples),
        mbpsSummary: mbps === undefined ? undefined : summarize(mbps),
        cpuMs,
        cpuMsSummary: cpuMs === undefined ? undefined : summarize(cpuMs),
      };
    }),
  };
}
