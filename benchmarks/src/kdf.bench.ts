import { pbkdf2Sync } from 'node:crypto';
import { defaultKdfParams, deriveKey } from '@sealstream/kdf';
import type { BenchCase } from './BenchCase.ts';
import { against, pairedTable } from './markdownTable.ts';
import { type Contender, runPairedRounds } from './pairedRounds.ts';

/** A passphrase for timing only, not a secret. */
const PASSPHRASE = 'benchmark passphrase, not a secret';

/**
 * Milliseconds per `deriveKey` with the default parameters: Argon2id (hash-wasm) and
 * PBKDF2-SHA256 (WebCrypto; @noble/hashes in full mode), beside node:crypto's native PBKDF2 with
 * the same iterations, checked to give the same key.
 */
export default {
  name: 'kdf',
  summary: 'deriveKey (argon2id, pbkdf2-sha256) ms per key vs node:crypto pbkdf2Sync',
  async run({ quick, rounds, log }) {
    const argon = defaultKdfParams('argon2id');
    const pbkdf2 = defaultKdfParams('pbkdf2-sha256');
    if (argon.algorithm !== 'argon2id' || pbkdf2.algorithm !== 'pbkdf2-sha256')
      throw new Error('unexpected default KDF parameters');
    const native = () => pbkdf2Sync(PASSPHRASE, pbkdf2.salt, pbkdf2.iterations, 32, 'sha256');
    const NATIVE = `ref: node:crypto pbkdf2Sync (${pbkdf2.iterations} it.)`;
    const contenders: Contender[] = [
      {
        name: `argon2id (m=${argon.memoryKiB / 1024} MiB, t=${argon.iterations}, p=${argon.parallelism})`,
        run: () => deriveKey(PASSPHRASE, argon),
      },
      {
        name: `pbkdf2-sha256 webcrypto (${pbkdf2.iterations} it.)`,
        run: () => deriveKey(PASSPHRASE, pbkdf2, { engine: 'webcrypto' }),
      },
      {
        name: NATIVE,
        run: native,
        check: async () => {
          if (!native().equals(await deriveKey(PASSPHRASE, pbkdf2)))
            throw new Error('deriveKey(pbkdf2-sha256) differs from node:crypto');
        },
      },
    ];
    // The pure-JS fallback takes seconds per key.
    if (!quick)
      contenders.push({
        name: `pbkdf2-sha256 noble (${pbkdf2.iterations} it.)`,
        run: () => deriveKey(PASSPHRASE, pbkdf2, { engine: 'noble' }),
      });
    const result = await runPairedRounds(contenders, { rounds, log });
    return {
      tables: [pairedTable('Key derivation, ms per key', result, against(result, NATIVE))],
      data: { result },
    };
  },
} satisfies BenchCase;
