import type { Table } from './markdownTable.ts';

/** What `pnpm bench` hands to a case. */
export interface BenchOptions {
  /** Small inputs, few contenders: shows that the case works, measures little. */
  readonly quick: boolean;
  /** Timed paired rounds. */
  readonly rounds: number;
  /** Input of the throughput cases, in bytes. */
  readonly inputBytes: number;
  /** The case options from the command line, e.g. `engines` (see run.ts). */
  readonly flags: Readonly<Record<string, string | undefined>>;
  /** Progress, to stderr. */
  log(line: string): void;
}

/** What a case reports: its tables (the first is its headline), notes, and data for the JSON. */
export interface CaseReport {
  readonly tables: readonly Table[];
  /** Loud remarks: contenders skipped and why, caveats. */
  readonly notes?: readonly string[];
  readonly data?: unknown;
}

/** One benchmark case: `pnpm bench <name>`. */
export interface BenchCase {
  readonly name: string;
  /** One line: what it compares with what. */
  readonly summary: string;
  run(options: BenchOptions): Promise<CaseReport>;
}
