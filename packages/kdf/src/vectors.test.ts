import { argon2id as nobleArgon2id } from '@noble/hashes/argon2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
// Vectors are JSON modules so the same file runs in Node, Deno, Chromium and workerd (docs/RUNTIMES.md).
import argon2Vectors from '../../../tests/vectors/rfc9106-argon2.json' with { type: 'json' };
import pbkdf2Vectors from '../../../tests/vectors/wycheproof/pbkdf2_hmacsha256_test.json' with {
  type: 'json',
};
import { argon2idHash } from './argon2idHash.ts';
import { checkKdfParams } from './checkKdfParams.ts';
import { deriveKey } from './deriveKey.ts';
import { KdfError } from './KdfError.ts';
import type { KdfParams } from './KdfParams.ts';
import { pbkdf2Sha256 } from './pbkdf2Sha256.ts';

const hex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (b) => Number.parseInt(b, 16));
const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

interface PbkdfTest {
  tcId: number;
  password: string;
  salt: string;
  iterationCount: number;
  dkLen: number;
  dk: string;
  result: 'valid' | 'invalid' | 'acceptable';
}
const wycheproof = pbkdf2Vectors as unknown as {
  numberOfTests: number;
  testGroups: { tests: PbkdfTest[] }[];
};
const pbkdfTests = wycheproof.testGroups.flatMap((g) => g.tests);

describe('Wycheproof PBKDF2-HMAC-SHA256', () => {
  it('has every test of the file', () => {
    expect(pbkdfTests).toHaveLength(wycheproof.numberOfTests);
    expect(pbkdfTests.length).toBe(60);
  });

  for (const engine of ['webcrypto', 'noble'] as const) {
    it(`every vector through the primitive (${engine})`, async () => {
      let checked = 0;
      for (const t of pbkdfTests) {
        const dk = await pbkdf2Sha256(
          hex(t.password),
          hex(t.salt),
          t.iterationCount,
          t.dkLen,
          engine,
        );
        if (t.result === 'valid') expect(toHex(dk), `tcId ${t.tcId}`).toBe(t.dk);
        else expect(toHex(dk), `tcId ${t.tcId}`).not.toBe(t.dk);
        checked++;
      }
      expect(checked).toBe(60);
    }, 300_000); // pure-JS PBKDF2 at 80,000 iterations on a shared 2-core machine
  }

  it('every vector within bounds and with dkLen ≥ 32 through deriveKey; the others counted', async () => {
    let checked = 0;
    let shortOutput = 0;
    let outOfBounds = 0;
    let emptyPassword = 0;
    for (const t of pbkdfTests) {
      const params: KdfParams = {
        algorithm: 'pbkdf2-sha256',
        iterations: t.iterationCount,
        salt: hex(t.salt),
      };
      if (t.dkLen < 32) {
        shortOutput++; // deriveKey always returns 32 bytes; these are checked through the primitive above.
        continue;
      }
      try {
        checkKdfParams(params);
      } catch (e) {
        expect((e as KdfError).code).toBe('ERR_KDF_PARAMS_OUT_OF_BOUNDS');
        await expect(deriveKey(hex(t.password), params)).rejects.toBeInstanceOf(KdfError);
        outOfBounds++;
        continue;
      }
      if (t.password === '') {
        // deriveKey refuses an empty passphrase; the primitive checked this vector above.
        await expect(deriveKey(hex(t.password), params)).rejects.toThrow(/passphrase is empty/);
        emptyPassword++;
        continue;
      }
      const key = await deriveKey(hex(t.password), params);
      // PBKDF2's first 32 bytes do not depend on dkLen (RFC 8018 §5.2: T_1 ‖ T_2 ‖ …).
      expect(toHex(key), `tcId ${t.tcId}`).toBe(t.dk.slice(0, 64));
      checked++;
    }
    console.log(
      `[pbkdf2 vectors via deriveKey] checked ${checked}, dkLen < 32: ${shortOutput}, salt below the 8-byte bound: ${outOfBounds}, empty password: ${emptyPassword}`,
    );
    expect(shortOutput).toBe(22);
    expect(outOfBounds).toBe(2); // the two RFC 7914 cases with a 4-byte salt "salt"
    expect(emptyPassword).toBe(1); // tcId 51
    expect(checked).toBe(35);
    expect(checked + shortOutput + outOfBounds + emptyPassword).toBe(60);
  });
});

describe('RFC 9106 Argon2id', () => {
  const v = argon2Vectors as unknown as {
    inputs: Record<string, string | number>;
    tags: Record<string, string>;
  };
  const i = v.inputs;

  it('§5.3 test vector through @noble/hashes (secret and associated data)', () => {
    const tag = nobleArgon2id(hex(String(i.password_hex)), hex(String(i.salt_hex)), {
      t: Number(i.passes),
      m: Number(i.memory_kib),
      p: Number(i.parallelism),
      dkLen: Number(i.tag_length),
      key: hex(String(i.secret_hex)),
      personalization: hex(String(i.associated_data_hex)),
    });
    expect(toHex(tag)).toBe(v.tags.argon2id);
  });

  it('hash-wasm and @noble/hashes agree on random inputs (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.uint8Array({ minLength: 8, maxLength: 32 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 64 }),
        fc.integer({ min: 4, max: 64 }),
        async (password, salt, parallelism, iterations, extraKiB, length) => {
          const cost = { memoryKiB: 8 * parallelism + extraKiB, iterations, parallelism, length };
          const a = await argon2idHash(password, salt, cost, 'hash-wasm');
          const b = await argon2idHash(password, salt, cost, 'noble');
          expect(a).toHaveLength(length);
          expect(toHex(a)).toBe(toHex(b));
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('PBKDF2 engines', () => {
  it('WebCrypto and @noble/hashes agree on random inputs (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 0, maxLength: 200 }),
        fc.uint8Array({ minLength: 0, maxLength: 64 }),
        fc.integer({ min: 1, max: 3000 }),
        fc.integer({ min: 1, max: 100 }),
        async (password, salt, iterations, length) => {
          const a = await pbkdf2Sha256(password, salt, iterations, length, 'webcrypto');
          const b = await pbkdf2Sha256(password, salt, iterations, length, 'noble');
          expect(toHex(a)).toBe(toHex(b));
        },
      ),
      { numRuns: 60 },
    );
  });
});
