import { Bench } from 'tinybench';

/** One side of a comparison: a closure that does the whole job once (e.g. seal 256 MiB). */
export interface Contender {
  /** Unique within a comparison; shown in tables. */
  readonly name: string;
  /** Bytes one run processes, for MB/s (1 MB = 10^6 bytes). Omit for latency-only jobs. */
  readonly bytes?: number;
  /** The job. Only this is timed. */
  readonly run: () => unknown;
  /** Checks the output once, untimed, before the first round; throws when it is wrong. */
  readonly check?: () => unknown;
  /** Untimed set-up before each run (e.g. an empty target directory). */
  readonly before?: () => unknown;
  /** Untimed clean-up after each run. */
  readonly after?: () => unknown;
}

/** Wall-clock milliseconds of every contender in every timed round, in round order. */
export interface PairedResult {
  readonly rounds: number;
  readonly contenders: readonly { name: string; bytes?: number | undefined; ms: number[] }[];
}

/**
 * Runs every contender once per round, rotating the order from round to round, after one
 * untimed warm-up round. A busy moment on a shared machine slows a whole round, so ratios taken
 * within a round (see {@link pairedRatio}) cancel most of it, and no contender always runs first.
 * Each round is one tinybench `Bench` with one iteration per task; hooks run outside the timing.
 *
 * @example
 * ```ts
 * import { pairedRatio, runPairedRounds } from './pairedRounds.ts';
 * const buf = new Uint8Array(1 << 20);
 * const result = await runPairedRounds(
 *   [
 *     { name: 'slice', bytes: buf.length, run: () => buf.slice() },
 *     { name: 'fill', bytes: buf.length, run: () => buf.fill(1) },
 *   ],
 *   { rounds: 3 },
 * );
 * console.log(pairedRatio(result, 'slice', 'fill'));
 * ```
 */
export async function runPairedRounds(
  contenders: readonly Contender[],
  options: { rounds: number; warmup?: boolean; log?: (line: string) => void },
): Promise<PairedResult> {
  const { rounds, warmup = true, log = () => {} } = options;
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new RangeError(`Cannot run paired rounds: rounds must be an integer >= 1, got ${rounds}`);
  const names = new Set(contenders.map((c) => c.name));
  if (names.size === 0 || names.size !== contenders.length)
    throw new RangeError('Cannot run paired rounds: contenders must be non-empty, names unique');
  for (const c of contenders) await c.check?.();

  const ms = new Map(contenders.map((c) => [c.name, [] as number[]]));
  for (let r = warmup ? -1 : 0; r < rounds; r++) {
    const label = r < 0 ? 'warm-up round' : `round ${r + 1}/${rounds}`;
    const bench = new Bench({ name: label, iterations: 1, time: 0, warmup: false, throws: true });
    for (let i = 0; i < contenders.length; i++) {
      const c = contenders[(i + r + 1) % contenders.length] as Contender;
      // async: true keeps tinybench from calling the job an extra time to find out.
      bench.add(c.name, c.run, {
        async: true,
        beforeEach: async () => void (await c.before?.()),
        afterEach: async () => void (await c.after?.()),
      });
    }
    const started = performance.now();
    await bench.run();
    for (const task of bench.tasks) {
      if (task.result.state !== 'completed')
        throw new Error(`${task.name} did not complete (${task.result.state})`);
      if (r >= 0) ms.get(task.name)?.push(task.result.latency.mean);
    }
    log(`${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return {
    rounds,
    contenders: contenders.map((c) => ({ name: c.name, bytes: c.bytes, ms: ms.get(c.name) ?? [] })),
  };
}

/**
 * The ratio of `of` to `to` in each round: throughput(of) / throughput(to), with throughput =
 * bytes / time, so contenders of different input sizes still compare; time(to) / time(of) when
 * neither counts bytes. Above 1, `of` is faster.
 *
 * @example
 * ```ts
 * import { pairedRatio } from './pairedRounds.ts';
 * const result = { rounds: 2, contenders: [{ name: 'a', ms: [10, 40] }, { name: 'b', ms: [20, 80] }] };
 * console.assert(pairedRatio(result, 'a', 'b').join() === '2,2');
 * ```
 */
export function pairedRatio(result: PairedResult, of: string, to: string): number[] {
  const find = (name: string) => {
    const c = result.contenders.find((x) => x.name === name);
    if (c) return c;
    const known = result.contenders.map((x) => x.name).join(', ');
    throw new RangeError(`No contender named "${name}" (have: ${known})`);
  };
  const a = find(of);
  const b = find(to);
  if ((a.bytes === undefined) !== (b.bytes === undefined))
    throw new RangeError(`Cannot compare ${of} with ${to}: only one of them counts bytes`);
  return a.ms.map((msA, i) => {
    const msB = b.ms[i] as number;
    return a.bytes === undefined || b.bytes === undefined
      ? msB / msA
      : a.bytes / msA / (b.bytes / msB);
  });
}

/** MB/s of each timed round (1 MB = 10^6 bytes). */
export function mbPerSecond(c: PairedResult['contenders'][number]): number[] {
  return c.ms.map((ms) => (c.bytes ?? Number.NaN) / 1e3 / ms);
}

/** The median of a non-empty list (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('Cannot take the median of nothing');
  const s = [...values].sort((x, y) => x - y);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}
