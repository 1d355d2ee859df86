import { parseSize } from './parseSizes.ts';

/** What `pnpm bench [filters…] [--flags]` asked for. */
export interface BenchArgs {
  readonly quick: boolean;
  /** Suite names (substrings, case-insensitive); empty = every suite. */
  readonly filters: readonly string[];
  readonly inputBytes: number;
  readonly rounds: number;
  readonly warmup: boolean;
  readonly list: boolean;
  readonly help: boolean;
  /** Every other `--key=value` (or `--key value`), for the suites' own knobs. */
  readonly options: Readonly<Record<string, string>>;
}

/** Usage text printed by `--help`. */
export const USAGE = `Usage: pnpm bench [SUITE…] [--quick] [--rounds=N] [--input=SIZE] [--no-warmup] [--list]
  SUITE           run only suites whose name contains this text (e.g. aead, kdf, rss, backup)
  --quick         small input (64 MiB), 3 rounds, few variants: about a minute per suite
                  (same as SEALSTREAM_BENCH_QUICK=1)
  --rounds=N      timed paired rounds (default 5, quick 3; SEALSTREAM_BENCH_ROUNDS)
  --input=SIZE    throughput input, e.g. 256M, 1G (default 256M, quick 64M; SEALSTREAM_BENCH_INPUT)
  --no-warmup     skip the untimed warm-up round
  --list          list the suites and exit
aead knobs:       --segments=64K,1M  --in-flight=1,4  --engines=node,webcrypto  --peers=0
rss knobs:        --rss-input=1G
backup knobs:     --backup-input=1G`;

/**
 * Parses the command line and the `SEALSTREAM_BENCH_*` environment. Flags win over the
 * environment; quick mode only changes the defaults.
 *
 * @example
 * ```ts
 * import { parseBenchArgs } from './parseBenchArgs.ts';
 * const a = parseBenchArgs(['aead', '--quick', '--segments=1M'], {});
 * console.assert(a.quick && a.filters[0] === 'aead' && a.rounds === 3 && a.options.segments === '1M');
 * ```
 */
export function parseBenchArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): BenchArgs {
  const filters: string[] = [];
  const options: Record<string, string> = {};
  let quick = isTrue(env.SEALSTREAM_BENCH_QUICK);
  let rounds = env.SEALSTREAM_BENCH_ROUNDS;
  let input = env.SEALSTREAM_BENCH_INPUT;
  let warmup = true;
  let list = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') continue;
    if (!arg.startsWith('-')) {
      filters.push(arg.toLowerCase());
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(arg.startsWith('--') ? 2 : 1, eq === -1 ? undefined : eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    const value = () => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--'))
        throw new RangeError(`Option --${name} needs a value`);
      i++;
      return next;
    };
    if (name === 'quick' || name === 'q') quick = inline === undefined ? true : isTrue(inline);
    else if (name === 'full') quick = false;
    else if (name === 'no-warmup') warmup = false;
    else if (name === 'list') list = true;
    else if (name === 'help' || name === 'h') help = true;
    else if (name === 'rounds') rounds = value();
    else if (name === 'input') input = value();
    else if (name === '') throw new RangeError(`Cannot parse option "${arg}"`);
    else options[name] = value();
  }
  const roundCount = rounds === undefined ? (quick ? 3 : 5) : Number(rounds);
  if (!Number.isInteger(roundCount) || roundCount < 1) {
    throw new RangeError(`--rounds must be an integer >= 1: received ${rounds}`);
  }
  return {
    quick,
    filters,
    inputBytes: input === undefined ? (quick ? 64 : 256) * 2 ** 20 : parseSize(input),
    rounds: roundCount,
    warmup,
    list,
    help,
    options,
  };
}

function isTrue(v: string | undefined): boolean {
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}
