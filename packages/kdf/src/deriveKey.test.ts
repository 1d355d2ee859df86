import { describe, expect, it } from 'vitest';
import { argon2idHash } from './argon2idHash.ts';
import { defaultKdfParams } from './defaultKdfParams.ts';
import { deriveKey } from './deriveKey.ts';
import { KdfError } from './KdfError.ts';
import type { KdfParams } from './KdfParams.ts';
import { pbkdf2Sha256 } from './pbkdf2Sha256.ts';

const salt = new Uint8Array(16).fill(7);
const smallArgon: KdfParams = {
  algorithm: 'argon2id',
  memoryKiB: 64,
  iterations: 1,
  parallelism: 1,
  salt,
};
const smallPbkdf2: KdfParams = { algorithm: 'pbkdf2-sha256', iterations: 1000, salt };

describe('deriveKey', () => {
  it('returns 32 bytes, deterministic, for both algorithms', async () => {
    for (const params of [smallArgon, smallPbkdf2]) {
      const a = await deriveKey('pass', params);
      const b = await deriveKey('pass', params);
      expect(a).toHaveLength(32);
      expect(a).toEqual(b);
      expect(await deriveKey('pasS', params)).not.toEqual(a);
    }
  });

  it('normalises string passphrases to NFC before UTF-8 encoding', async () => {
    const composed = 'caf\u00e9';
    const decomposed = 'cafe\u0301';
    for (const params of [smallArgon, smallPbkdf2]) {
      const k = await deriveKey(composed, params);
      expect(await deriveKey(decomposed, params)).toEqual(k);
      expect(await deriveKey(new TextEncoder().encode(composed), params)).toEqual(k);
      // Bytes are used as given: the decomposed bytes are a different passphrase.
      expect(await deriveKey(new TextEncoder().encode(decomposed), params)).not.toEqual(k);
    }
  });

  it('a different salt gives a different key', async () => {
    const other = { ...smallPbkdf2, salt: new Uint8Array(16).fill(8) };
    expect(await deriveKey('pass', other)).not.toEqual(await deriveKey('pass', smallPbkdf2));
  });

  it('matches the primitives it wraps, in every engine', async () => {
    const pw = new TextEncoder().encode('pass');
    const argon = await argon2idHash(pw, salt, {
      memoryKiB: 64,
      iterations: 1,
      parallelism: 1,
      length: 32,
    });
    expect(await deriveKey('pass', smallArgon)).toEqual(argon);
    expect(await deriveKey('pass', smallArgon, { engine: 'noble' })).toEqual(argon);
    const pb = await pbkdf2Sha256(pw, salt, 1000, 32, 'noble');
    expect(await deriveKey('pass', smallPbkdf2)).toEqual(pb);
    expect(await deriveKey('pass', smallPbkdf2, { engine: 'webcrypto' })).toEqual(pb);
  });

  it('rejects an engine that does not fit the algorithm', async () => {
    await expect(deriveKey('p', smallArgon, { engine: 'webcrypto' })).rejects.toMatchObject({
      code: 'ERR_KDF_ENGINE_UNAVAILABLE',
    });
    await expect(deriveKey('p', smallPbkdf2, { engine: 'hash-wasm' })).rejects.toMatchObject({
      code: 'ERR_KDF_ENGINE_UNAVAILABLE',
    });
  });

  it('checks parameters before deriving: out of bounds and malformed', async () => {
    const huge: KdfParams = {
      algorithm: 'argon2id',
      memoryKiB: 4 * 1024 * 1024,
      iterations: 3,
      parallelism: 1,
      salt,
    };
    const err = await deriveKey('p', huge).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KdfError);
    expect((err as KdfError).code).toBe('ERR_KDF_PARAMS_OUT_OF_BOUNDS');
    expect((err as KdfError).message).toContain('memoryKiB 4194304 exceeds the limit 1048576');
    await expect(deriveKey('p', { ...smallPbkdf2, iterations: 0 })).rejects.toMatchObject({
      code: 'ERR_KDF_PARAMS_INVALID',
    });
    await expect(
      deriveKey('p', { algorithm: 'scrypt', iterations: 1, salt } as unknown as KdfParams),
    ).rejects.toMatchObject({ code: 'ERR_KDF_PARAMS_INVALID' });
    await expect(deriveKey(42 as unknown as string, smallPbkdf2)).rejects.toThrow(TypeError);
  });

  it('never puts the passphrase in an error message', async () => {
    const secret = 'hunter2-very-secret';
    const err = await deriveKey(secret, { ...smallPbkdf2, iterations: 1e9 }).catch(
      (e: unknown) => e,
    );
    expect((err as Error).message).not.toContain(secret);
  });

  it('derives with the default parameters (argon2id 64 MiB, pbkdf2 600k)', async () => {
    const a = defaultKdfParams();
    expect(a).toMatchObject({
      algorithm: 'argon2id',
      memoryKiB: 65536,
      iterations: 3,
      parallelism: 1,
    });
    expect(await deriveKey('pass', a)).toHaveLength(32);
    const p = defaultKdfParams('pbkdf2-sha256');
    expect(p).toMatchObject({ algorithm: 'pbkdf2-sha256', iterations: 600_000 });
    expect(await deriveKey('pass', p)).toHaveLength(32);
  });
});

describe('deriveKey guards', () => {
  it('refuses an empty passphrase for both algorithms', async () => {
    await expect(deriveKey('', smallArgon)).rejects.toThrow(/passphrase is empty/);
    await expect(deriveKey(new Uint8Array(0), smallPbkdf2)).rejects.toThrow(/passphrase is empty/);
  });
});
