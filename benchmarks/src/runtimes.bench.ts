import type { BenchSuite } from './BenchSuite.ts';
import { formatBytes } from './formatNumbers.ts';
import { loadAverage1 } from './machineInfo.ts';
import { runPairedRounds, type Variant } from './runPairedRounds.ts';
import { throughputTable } from './throughputTable.ts';

type BenchRuntime = 'chromium' | 'deno' | 'workerd';
const RUNTIMES: readonly BenchRuntime[] = ['chromium', 'deno', 'workerd'];

/** The runtime sessions live with the cross-runtime tests (tests/runtimes/bench, which owns
 * esbuild, Playwright, Miniflare and Deno); loaded by URL so this package's typecheck stays
 * within `src`. */
interface Sessions {
  sealWorkload(mib: number, engine?: 'webcrypto'): Promise<number>;
  openSessions(r: readonly BenchRuntime[]): Promise<
    {
      runtime: BenchRuntime;
      version: string;
      seal(mib: number): Promise<number>;
      close(): Promise<void>;
    }[]
  >;
}
async function loadSessions(): Promise<Sessions> {
  const at = (p: string) => new URL(`../../tests/runtimes/bench/${p}`, import.meta.url).href;
  const [workload, sessions] = await Promise.all([
    import(at('sealWorkload.ts')),
    import(at('runtimeSessions.ts')),
  ]);
  return { sealWorkload: workload.sealWorkload, openSessions: sessions.openSessions } as Sessions;
}

/**
 * encryptStream throughput of the same workload (tests/runtimes/bench/sealWorkload.ts) in Node,
 * headless Chromium, Deno and workerd on this machine, timed from Node around each call, in
 * paired interleaved rounds; ratios are to Node's default engine (node:crypto) and to Node's
 * WebCrypto engine, which is the engine the other runtimes use.
 *
 *   pnpm bench runtimes [--quick] [--runtimeMiB=64]
 */
const suite: BenchSuite = {
  name: 'runtimes',
  description:
    'encryptStream MB/s in Node, Chromium, Deno and workerd (same workload), as ratios to Node',
  async run(ctx) {
    const mib = Number(
      ctx.options.runtimeMiB ??
        Math.min(64, Math.max(1, Math.floor(ctx.inputBytes / 4 / (1 << 20)))),
    );
    const bytes = mib * (1 << 20);
    ctx.log(`opening sessions: ${RUNTIMES.join(', ')}`);
    const { sealWorkload, openSessions } = await loadSessions();
    const sessions = await openSessions(RUNTIMES);
    try {
      const expected = await sealWorkload(1);
      const variants: Variant[] = [
        {
          name: `node ${process.version} (node:crypto, default)`,
          bytes,
          run: () => sealWorkload(mib),
        },
        {
          name: `node ${process.version} (webcrypto)`,
          bytes,
          run: () => sealWorkload(mib, 'webcrypto'),
        },
        ...sessions.map((s) => ({
          name: s.version,
          bytes,
          run: () => s.seal(mib),
          check: async () => {
            const got = await s.seal(1);
            if (got !== expected)
              throw new Error(`${s.runtime} sealed 1 MiB into ${got} bytes, Node into ${expected}`);
          },
        })),
      ];
      ctx.log(`${variants.length} variants × ${ctx.rounds} rounds of ${formatBytes(bytes)}`);
      const result = await runPairedRounds(variants, {
        rounds: ctx.rounds,
        warmup: ctx.warmup,
        log: ctx.log,
        loadAverage: loadAverage1,
      });
      const first = variants[0]?.name ?? '';
      const second = variants[1]?.name ?? '';
      return {
        tables: [
          throughputTable(
            `encryptStream across runtimes — ratio to Node's default engine`,
            result,
            first,
          ),
          throughputTable(
            `encryptStream across runtimes — ratio to Node's WebCrypto engine (same engine everywhere)`,
            result,
            second,
          ),
        ],
        notes: [
          'Timed from Node around each call (workerd freezes Date/performance during CPU work); Chromium, Deno and workerd add an IPC hop of well under a millisecond per call.',
          'Every runtime but Node uses WebCrypto (its default); Node defaults to node:crypto. Miniflare enforces no CPU or memory limit; production Workers do.',
        ],
        data: { mib, result },
      };
    } finally {
      await Promise.all(sessions.map((s) => s.close()));
    }
  },
};
export default suite;
