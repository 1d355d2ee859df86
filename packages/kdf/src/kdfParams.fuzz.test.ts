import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectTyped, fuzz } from '../../../tests/src/fuzz/byteFuzz.ts';
import { checkKdfParams } from './checkKdfParams.ts';
import { decodeKdfParams } from './decodeKdfParams.ts';
import { encodeKdfParams } from './encodeKdfParams.ts';
import { DEFAULT_KDF_LIMITS, type KdfLimits } from './KdfLimits.ts';
import type { KdfParams } from './KdfParams.ts';

// Fuzz target (docs/FUZZING.md): shared scaffolding in tests/src/fuzz/byteFuzz.ts.
/** A decoded value: within every bound of `lim`, and it encodes back to the same params. */
function checkValid(p: KdfParams, lim: KdfLimits): void {
  const int = (n: unknown, max: number) =>
    typeof n === 'number' && Number.isSafeInteger(n) && n >= 1 && n <= max;
  expect(p.salt).toBeInstanceOf(Uint8Array);
  expect(p.salt.length >= lim.minSaltBytes && p.salt.length <= lim.maxSaltBytes).toBe(true);
  if (p.algorithm === 'pbkdf2-sha256') {
    expect(Object.keys(p).sort()).toEqual(['algorithm', 'iterations', 'salt']);
    expect(int(p.iterations, lim.maxPbkdf2Iterations)).toBe(true);
  } else {
    expect(p.algorithm).toBe('argon2id');
    expect(Object.keys(p).sort()).toEqual([
      'algorithm',
      'iterations',
      'memoryKiB',
      'parallelism',
      'salt',
    ]);
    expect(int(p.iterations, lim.maxArgon2Iterations)).toBe(true);
    expect(int(p.parallelism, lim.maxArgon2Parallelism)).toBe(true);
    expect(int(p.memoryKiB, lim.maxArgon2MemoryKiB)).toBe(true);
    expect(p.memoryKiB).toBeGreaterThanOrEqual(8 * p.parallelism);
  }
  expect(decodeKdfParams(JSON.parse(JSON.stringify(encodeKdfParams(p))), lim)).toEqual(p);
}

function attempt(json: unknown, lim: KdfLimits): void {
  let p: KdfParams;
  try {
    p = decodeKdfParams(json, lim);
  } catch (e) {
    expectTyped(e, 'ERR_KDF_PARAMS_');
    return;
  }
  checkValid(p, lim);
}

const limits: fc.Arbitrary<KdfLimits> = fc.oneof(
  fc.constant({ ...DEFAULT_KDF_LIMITS }),
  fc.record({
    maxArgon2MemoryKiB: fc.integer({ min: 8, max: 1 << 22 }),
    maxArgon2Iterations: fc.integer({ min: 1, max: 100 }),
    maxArgon2Parallelism: fc.integer({ min: 1, max: 64 }),
    maxPbkdf2Iterations: fc.integer({ min: 1, max: 10_000_000 }),
    minSaltBytes: fc.integer({ min: 0, max: 32 }),
    maxSaltBytes: fc.integer({ min: 16, max: 256 }),
  }),
);

const number = fc.oneof(
  fc.integer({ min: -5, max: 70 }),
  fc.integer({ min: 0, max: 1 << 24 }),
  fc.constantFrom(0, -0, 1.5, 2 ** 53, 2 ** 53 - 1, Number.NaN, Infinity, -Infinity, 1e300),
  fc.constantFrom('3', null, true, [], {}),
);
const salt = fc.oneof(
  fc.uint8Array({ maxLength: 80 }).map((b) => btoa(String.fromCharCode(...b))),
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', '=', 'AAAA====', 'AA==AA==', ' AAAAAAAAAAAAAAAAAAAAAA==', null, 7),
);
/** Objects shaped like KDF params, most fields plausible, some wrong or missing or extra. */
const paramsLike = fc.record(
  {
    algorithm: fc.oneof(
      fc.constantFrom('argon2id', 'pbkdf2-sha256'),
      fc.constantFrom('Argon2id', 'scrypt', '', null, 1),
    ),
    memoryKiB: number,
    iterations: number,
    parallelism: number,
    salt,
    extra: fc.jsonValue({ maxDepth: 2 }),
    __proto__: fc.jsonValue({ maxDepth: 1 }),
  },
  { requiredKeys: ['algorithm', 'iterations', 'salt'] },
);

describe('KDF params fuzz (decodeKdfParams, checkKdfParams)', () => {
  it('params-shaped objects through JSON: valid params within the bounds, or ERR_KDF_PARAMS_*', () => {
    fc.assert(
      fc.property(paramsLike, limits, (p, lim) => {
        // Through JSON text, as read from storage (JSON.parse makes __proto__ an own field).
        attempt(JSON.parse(JSON.stringify(p)), lim);
      }),
      fuzz(2000),
    );
  });

  it('random JSON values and objects: valid params within the bounds, or ERR_KDF_PARAMS_*', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.object(), fc.anything()), limits, attempt),
      fuzz(1000),
    );
  });

  it('checkKdfParams of params-shaped objects with byte salts: within the bounds, or ERR_KDF_PARAMS_*', () => {
    fc.assert(
      fc.property(paramsLike, fc.uint8Array({ maxLength: 80 }), limits, (p, bytes, lim) => {
        let out: KdfParams;
        try {
          out = checkKdfParams({ ...p, salt: bytes } as unknown as KdfParams, lim);
        } catch (e) {
          expectTyped(e, 'ERR_KDF_PARAMS_');
          return;
        }
        checkValid(out, lim);
      }),
      fuzz(1000),
    );
  });
});
