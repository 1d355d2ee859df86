import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeKdfParams } from './decodeKdfParams.ts';
import { defaultKdfParams } from './defaultKdfParams.ts';
import { encodeKdfParams } from './encodeKdfParams.ts';
import { KdfError } from './KdfError.ts';
import { DEFAULT_KDF_LIMITS } from './KdfLimits.ts';
import type { KdfParams } from './KdfParams.ts';

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(KdfError);
    return (e as KdfError).code;
  }
  return undefined;
}

const SALT16 = 'AAAAAAAAAAAAAAAAAAAAAA==';
const argonJson = {
  algorithm: 'argon2id',
  memoryKiB: 65536,
  iterations: 3,
  parallelism: 1,
  salt: SALT16,
};
const pbkdf2Json = { algorithm: 'pbkdf2-sha256', iterations: 600000, salt: SALT16 };

const validParams: fc.Arbitrary<KdfParams> = fc.oneof(
  fc.record({
    algorithm: fc.constant('argon2id' as const),
    parallelism: fc.integer({ min: 1, max: 16 }),
    iterations: fc.integer({ min: 1, max: 20 }),
    memoryKiB: fc.integer({ min: 128, max: 1024 * 1024 }),
    salt: fc.uint8Array({ minLength: 8, maxLength: 256 }),
  }),
  fc.record({
    algorithm: fc.constant('pbkdf2-sha256' as const),
    iterations: fc.integer({ min: 1, max: 10_000_000 }),
    salt: fc.uint8Array({ minLength: 8, maxLength: 256 }),
  }),
);

describe('encodeKdfParams / decodeKdfParams', () => {
  it('encodes with a fixed field order and base64 salt', () => {
    const p = defaultKdfParams('argon2id');
    const json = encodeKdfParams({ ...p, salt: new Uint8Array(16) });
    expect(JSON.stringify(json)).toBe(JSON.stringify(argonJson));
    expect(
      JSON.stringify(
        encodeKdfParams({
          algorithm: 'pbkdf2-sha256',
          iterations: 600000,
          salt: new Uint8Array(16),
        }),
      ),
    ).toBe(JSON.stringify(pbkdf2Json));
  });

  it('property: decode(JSON round trip of encode(p)) equals p', () => {
    fc.assert(
      fc.property(validParams, (p) => {
        const back = decodeKdfParams(JSON.parse(JSON.stringify(encodeKdfParams(p))));
        expect(back).toEqual({ ...p, salt: new Uint8Array(p.salt) });
      }),
      { numRuns: 300 },
    );
  });

  it('defaultKdfParams draws a fresh 16-byte salt every time', () => {
    const a = defaultKdfParams();
    const b = defaultKdfParams();
    expect(a.salt).toHaveLength(16);
    expect(a.salt).not.toEqual(b.salt);
    expect(() => defaultKdfParams('scrypt' as 'argon2id')).toThrow(TypeError);
  });

  it('rejects malformed parameters with ERR_KDF_PARAMS_INVALID', () => {
    const bad: unknown[] = [
      null,
      'argon2id',
      [],
      42,
      new Map(),
      {},
      { ...argonJson, algorithm: 'argon2i' },
      { ...argonJson, algorithm: 'ARGON2ID' },
      { ...argonJson, memoryKiB: '65536' },
      { ...argonJson, memoryKiB: 65536.5 },
      { ...argonJson, iterations: 0 },
      { ...argonJson, parallelism: -1 },
      { ...argonJson, memoryKiB: 8, parallelism: 2 }, // below 8 × p
      { ...argonJson, extra: 1 },
      { ...pbkdf2Json, memoryKiB: 1 }, // an argon2 field on pbkdf2
      { ...pbkdf2Json, iterations: Number.NaN },
      { ...pbkdf2Json, iterations: 1e300 },
      { ...pbkdf2Json, salt: undefined },
      { ...pbkdf2Json, salt: 12 },
      { ...pbkdf2Json, salt: 'AAAA AAAA' },
      { ...pbkdf2Json, salt: 'AAAAAAAAAAAA-_AA' }, // URL alphabet
      { ...pbkdf2Json, salt: 'AAAAAAAAAAAB' + '==' }, // not a multiple of 4
      { ...pbkdf2Json, salt: 'AAAAAAAAAAB=' }, // non-canonical padding bits
      { algorithm: 'pbkdf2-sha256', iterations: 600000 },
    ];
    for (const json of bad)
      expect(
        codeOf(() => decodeKdfParams(json)),
        JSON.stringify(json) ?? String(json),
      ).toBe('ERR_KDF_PARAMS_INVALID');
  });

  it('rejects hostile costs with ERR_KDF_PARAMS_OUT_OF_BOUNDS, naming field and limit', () => {
    const cases: [unknown, string][] = [
      [{ ...argonJson, memoryKiB: 1024 * 1024 + 1 }, 'memoryKiB 1048577 exceeds the limit 1048576'],
      [{ ...argonJson, memoryKiB: 2 ** 32 }, 'memoryKiB 4294967296 exceeds the limit 1048576'],
      [{ ...argonJson, iterations: 21 }, 'iterations 21 exceed the limit 20'],
      [{ ...argonJson, parallelism: 17, memoryKiB: 65536 }, 'parallelism 17 exceeds the limit 16'],
      [{ ...pbkdf2Json, iterations: 10_000_001 }, 'iterations 10000001 exceed the limit 10000000'],
      [{ ...pbkdf2Json, salt: 'AAAAAAAAAA==' }, 'salt is 7 bytes, allowed 8..256'],
      [{ ...pbkdf2Json, salt: 'A'.repeat(400) }, 'salt of 400 base64 characters exceeds 256 bytes'],
      [
        { ...pbkdf2Json, salt: 'A'.repeat(50_000_000) },
        'salt of 50000000 base64 characters exceeds 256 bytes',
      ],
    ];
    for (const [json, message] of cases) {
      try {
        decodeKdfParams(json);
        expect.unreachable(message);
      } catch (e) {
        expect((e as KdfError).code).toBe('ERR_KDF_PARAMS_OUT_OF_BOUNDS');
        expect((e as KdfError).message).toContain(message);
      }
    }
  });

  it('accepts exactly the bounds, and honours caller limits', () => {
    const edge = {
      ...argonJson,
      memoryKiB: DEFAULT_KDF_LIMITS.maxArgon2MemoryKiB,
      iterations: 20,
      parallelism: 16,
    };
    expect(decodeKdfParams(edge)).toMatchObject({
      memoryKiB: 1048576,
      iterations: 20,
      parallelism: 16,
    });
    expect(decodeKdfParams({ ...pbkdf2Json, iterations: 10_000_000 })).toMatchObject({
      iterations: 10_000_000,
    });
    expect(codeOf(() => decodeKdfParams(argonJson, { maxArgon2MemoryKiB: 1024 }))).toBe(
      'ERR_KDF_PARAMS_OUT_OF_BOUNDS',
    );
    expect(
      decodeKdfParams(
        { ...argonJson, memoryKiB: 2 * 1024 * 1024 },
        { maxArgon2MemoryKiB: 4 * 1024 * 1024 },
      ),
    ).toMatchObject({
      memoryKiB: 2 * 1024 * 1024,
    });
  });

  it('property: any JSON value either decodes within bounds or throws a KdfError', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.record(
            {
              algorithm: fc.constantFrom('argon2id', 'pbkdf2-sha256', 'x'),
              memoryKiB: fc.oneof(fc.integer(), fc.double(), fc.string()),
              iterations: fc.oneof(fc.integer(), fc.double()),
              parallelism: fc.integer(),
              salt: fc.oneof(fc.base64String(), fc.string()),
            },
            { requiredKeys: ['algorithm'] },
          ),
        ),
        (json) => {
          try {
            const p = decodeKdfParams(json);
            expect(p.iterations).toBeLessThanOrEqual(p.algorithm === 'argon2id' ? 20 : 10_000_000);
            if (p.algorithm === 'argon2id') expect(p.memoryKiB).toBeLessThanOrEqual(1024 * 1024);
            expect(p.salt.length).toBeGreaterThanOrEqual(8);
          } catch (e) {
            expect(e).toBeInstanceOf(KdfError);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
