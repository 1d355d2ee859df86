import type { BenchCase } from './BenchCase.ts';
import { against, pairedTable } from './markdownTable.ts';
import { type Contender, runPairedRounds } from './pairedRounds.ts';
import { MiB } from './sizes.ts';

type Runtime = 'chromium' | 'deno' | 'workerd';

/** Sealing the workload in another runtime, driven from Node (tests/runtimes/bench). */
interface RuntimeHost {
  readonly runtime: Runtime;
  readonly version: string;
  seal(mib: number): Promise<number>;
  close(): Promise<void>;
}

/**
 * The workload and the hosts live with the cross-runtime tests, which own esbuild, Playwright,
 * Miniflare and Deno; loaded by URL so this package's typecheck stays within `src`.
 */
async function load(): Promise<{
  sealWorkload(mib: number, engine?: 'webcrypto'): Promise<number>;
  openHosts(runtimes: readonly Runtime[]): Promise<RuntimeHost[]>;
}> {
  const at = (file: string) => new URL(`../../tests/runtimes/bench/${file}`, import.meta.url).href;
  const [workload, hosts] = await Promise.all([
    import(at('sealWorkload.ts')),
    import(at('runtimeSessions.ts')),
  ]);
  return { sealWorkload: workload.sealWorkload, openHosts: hosts.openSessions };
}

/**
 * encryptStream on the same workload in Node, headless Chromium, Deno and workerd, timed from
 * Node around each call (workerd freezes its clocks during CPU work), in paired rounds. Ratios
 * are to Node's WebCrypto engine, the engine the other runtimes use.
 */
export default {
  name: 'runtimes',
  summary: 'encryptStream MB/s in Chromium, Deno and workerd vs Node, same workload',
  async run({ inputBytes, rounds, flags, log }) {
    const mib = Number(flags.runtimeMiB ?? Math.max(1, Math.min(64, inputBytes / 4 / MiB)));
    const bytes = mib * MiB;
    const { sealWorkload, openHosts } = await load();
    const hosts: RuntimeHost[] = [];
    const notes: string[] = [];
    for (const runtime of ['chromium', 'deno', 'workerd'] as const) {
      log(`starting ${runtime}`);
      try {
        hosts.push(...(await openHosts([runtime])));
      } catch (e) {
        notes.push(`SKIPPED ${runtime}: ${(e as Error).message.split('\n')[0]}`);
      }
    }
    try {
      const expected = await sealWorkload(1);
      const WEBCRYPTO = `node ${process.version}, webcrypto`;
      const contenders: Contender[] = [
        {
          name: `node ${process.version}, node:crypto (default)`,
          bytes,
          run: () => sealWorkload(mib),
        },
        { name: WEBCRYPTO, bytes, run: () => sealWorkload(mib, 'webcrypto') },
        ...hosts.map((h) => ({
          name: h.version,
          bytes,
          run: () => h.seal(mib),
          check: async () => {
            const got = await h.seal(1);
            if (got !== expected)
              throw new Error(`${h.runtime} sealed 1 MiB into ${got} bytes, Node into ${expected}`);
          },
        })),
      ];
      const result = await runPairedRounds(contenders, { rounds, log });
      return {
        tables: [pairedTable('encryptStream across runtimes', result, against(result, WEBCRYPTO))],
        notes: [
          ...notes,
          'Every runtime but Node uses WebCrypto by default. Miniflare enforces no CPU or memory limit; production Workers do.',
        ],
        data: { mib, result },
      };
    } finally {
      await Promise.all(hosts.map((h) => h.close()));
    }
  },
} satisfies BenchCase;
