/**
 * The contract every `src/*.bench.ts` file fulfils so that `src/run.ts` can find, filter and run
 * it. A file default-exports one {@link BenchSuite} (or an array of them); the runner imports
 * every `*.bench.ts` in `src/`, so a new suite plugs in by adding a file — nothing to register.
 *
 * @example
 * ```ts
 * import type { BenchSuite } from './BenchSuite.ts';
 * import { runPairedRounds } from './runPairedRounds.ts';
 * import { throughputTable } from './throughputTable.ts';
 *
 * const suite: BenchSuite = {
 *   name: 'example',
 *   description: 'copies a buffer',
 *   async run(ctx) {
 *     const input = new Uint8Array(ctx.inputBytes);
 *     const result = await runPairedRounds(
 *       [{ name: 'slice', bytes: input.byteLength, run: () => void input.slice() }],
 *       { rounds: ctx.rounds, log: ctx.log },
 *     );
 *     return { tables: [throughputTable('copy', result)], data: { result } };
 *   },
 * };
 * export default suite;
 * ```
 */
export interface BenchSuite {
  /** Short name, matched by the filter on the command line (`pnpm bench aead`). */
  readonly name: string;
  /** One line: what the suite measures. Printed above its tables. */
  readonly description: string;
  run(ctx: BenchContext): Promise<SuiteReport>;
}

/** What the runner hands to a suite: the mode and the sizes it should use. */
export interface BenchContext {
  /** Quick mode (`--quick` or `SEALSTREAM_BENCH_QUICK=1`): small input, few rounds, few variants. */
  readonly quick: boolean;
  /** Plaintext bytes for throughput cases (256 MiB by default, 64 MiB in quick mode). */
  readonly inputBytes: number;
  /** Timed rounds per paired comparison (5 by default, 3 in quick mode). */
  readonly rounds: number;
  /** Whether to run one untimed warm-up round before the timed rounds. */
  readonly warmup: boolean;
  /** `--key=value` options from the command line not consumed by the runner, for suite knobs. */
  readonly options: Readonly<Record<string, string>>;
  /** Progress output (stderr); tables go through the returned {@link SuiteReport}. */
  log(line: string): void;
}

/** A printed table: markdown-compatible rows under a title. */
export interface ReportTable {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** What a suite returns: tables for the terminal, notes, and raw data for the JSON file. */
export interface SuiteReport {
  readonly tables: readonly ReportTable[];
  /** Loud remarks: skipped cases and why, goals missed, caveats. Printed after the tables. */
  readonly notes?: readonly string[];
  /** Everything worth keeping, written to `results/<suite>-<timestamp>.json`. */
  readonly data: Readonly<Record<string, unknown>>;
}
