import { pbkdf2Sync } from 'node:crypto';
import { defaultKdfParams, deriveKey } from '@sealstream/kdf';
import type { BenchSuite } from './BenchSuite.ts';
import { formatSummary } from './formatNumbers.ts';
import { loadAverage1 } from './machineInfo.ts';
import { runPairedRounds, type Variant } from './runPairedRounds.ts';

/** A passphrase for timing only — not a secret. */
const PASSPHRASE = 'benchmark passphrase, not a secret';

/**
 * Milliseconds per key derivation with the default parameters: Argon2id (hash-wasm, the default)
 * and PBKDF2-SHA256 (WebCrypto, the default; @noble/hashes, the fallback), beside node:crypto's
 * native PBKDF2 with the same iteration count as a reference. Paired rounds.
 */
const suite: BenchSuite = {
  name: 'kdf',
  description: 'deriveKey with default parameters: ms per derivation (argon2id, pbkdf2-sha256)',
  async run(ctx) {
    const argon = defaultKdfParams('argon2id');
    const pbkdf2 = defaultKdfParams('pbkdf2-sha256');
    if (argon.algorithm !== 'argon2id' || pbkdf2.algorithm !== 'pbkdf2-sha256')
      throw new Error('unexpected defaults');
    const variants: Variant[] = [
      {
        name: `argon2id hash-wasm (m=${argon.memoryKiB / 1024} MiB, t=${argon.iterations}, p=${argon.parallelism})`,
        run: () => deriveKey(PASSPHRASE, argon),
      },
      {
        name: `pbkdf2-sha256 webcrypto (${pbkdf2.iterations} it.)`,
        run: () => deriveKey(PASSPHRASE, pbkdf2, { engine: 'webcrypto' }),
      },
      {
        name: `ref: node:crypto pbkdf2Sync (${pbkdf2.iterations} it.)`,
        run: () => pbkdf2Sync(PASSPHRASE, pbkdf2.salt, pbkdf2.iterations, 32, 'sha256'),
        check: async () => {
          const ours = await deriveKey(PASSPHRASE, pbkdf2);
          const ref = pbkdf2Sync(PASSPHRASE, pbkdf2.salt, pbkdf2.iterations, 32, 'sha256');
          if (!ref.equals(ours))
            throw new Error('deriveKey(pbkdf2-sha256) differs from node:crypto');
        },
      },
    ];
    // The pure-JS fallback takes seconds per derivation: full mode only.
    if (!ctx.quick) {
      variants.splice(2, 0, {
        name: `pbkdf2-sha256 noble (${pbkdf2.iterations} it.)`,
        run: () => deriveKey(PASSPHRASE, pbkdf2, { engine: 'noble' }),
      });
    }
    ctx.log(`${variants.length} variants × ${ctx.rounds} rounds`);
    const result = await runPairedRounds(variants, {
      rounds: ctx.rounds,
      warmup: ctx.warmup,
      log: ctx.log,
      loadAverage: loadAverage1,
    });
    return {
      tables: [
        {
          title: `Key derivation — ${ctx.rounds} paired rounds`,
          columns: ['KDF', 'ms per derivation, median (min–max)'],
          rows: result.variants.map((v) => [v.name, formatSummary(v.msSummary)]),
        },
      ],
      notes: [
        'The default engine of each algorithm is the first of its rows; the node:crypto row is a reference only.',
      ],
      data: {
        params: {
          argon2id: {
            memoryKiB: argon.memoryKiB,
            iterations: argon.iterations,
            parallelism: argon.parallelism,
          },
          pbkdf2: { iterations: pbkdf2.iterations },
        },
        result,
      },
    };
  },
};
export default suite;
