import { encodeKdfParams, type KdfParams } from '@sealstream/kdf';
import { describe, expect, it } from 'vitest';
import type { WrappedKey } from './KeyWrapper.ts';
import { passphraseWrapper } from './passphraseWrapper.ts';

const hexOf = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

// Small KDF costs keep the tests fast; the default costs are exercised in @sealstream/kdf.
const fastArgon: KdfParams = {
  algorithm: 'argon2id',
  memoryKiB: 64,
  iterations: 1,
  parallelism: 1,
  salt: new Uint8Array(16),
};
const fastPbkdf2: KdfParams = {
  algorithm: 'pbkdf2-sha256',
  iterations: 1000,
  salt: new Uint8Array(16),
};
const PASS = 'Tr0ub4dor&3-passphrase';
const OTHER = 'another-passphrase-entirely';

// The shared kmsConformance suite is not run here: it requires `matches` to tell two keys of one
// provider apart, and a passphrase entry stores nothing that identifies the passphrase (by
// design, see passphraseWrapper). The same properties are checked below instead.
async function failure(p: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error('expected a failure');
}

describe('passphraseWrapper', () => {
  const dek = crypto.getRandomValues(new Uint8Array(32));

  it('stores the KDF parameters with a fresh salt and nothing derived from the passphrase', async () => {
    const w = passphraseWrapper(PASS, { kdf: fastArgon });
    const a = await w.wrap(dek);
    const b = await w.wrap(dek);
    expect(a).toMatchObject({ scheme: 'passphrase', id: 'passphrase' });
    expect(a.params).toMatchObject({
      algorithm: 'argon2id',
      memoryKiB: 64,
      iterations: 1,
      parallelism: 1,
    });
    expect(a.params?.salt).not.toBe(encodeKdfParams(fastArgon).salt); // never the caller's salt
    expect(a.params?.salt).not.toBe(b.params?.salt);
    expect(Object.keys(a).sort()).toEqual(['id', 'params', 'scheme', 'wrapped']);
    expect(JSON.stringify({ ...a, wrapped: [...a.wrapped] })).not.toContain(PASS);
  });

  it('right passphrase opens, wrong passphrase is ERR_KMS_WRONG_KEY', async () => {
    for (const kdf of [fastArgon, fastPbkdf2]) {
      const entry = await passphraseWrapper(PASS, { kdf }).wrap(dek);
      expect(await passphraseWrapper(PASS).unwrap(entry)).toEqual(dek);
      const e = await failure(passphraseWrapper(OTHER).unwrap(entry));
      expect(e.code).toBe('ERR_KMS_WRONG_KEY');
      expect(e.message).toContain('wrong passphrase');
      expect(e.message).not.toContain(OTHER);
    }
  });

  it('normalises the passphrase (NFC) so composed and decomposed forms both open', async () => {
    const entry = await passphraseWrapper('caf\u00e9 au lait', { kdf: fastPbkdf2 }).wrap(dek);
    expect(await passphraseWrapper('cafe\u0301 au lait').unwrap(entry)).toEqual(dek);
  });

  it('a tampered salt or cost is reported as a wrong key, never accepted', async () => {
    const entry = await passphraseWrapper(PASS, { kdf: fastPbkdf2 }).wrap(dek);
    const w = passphraseWrapper(PASS);
    const salt = Uint8Array.from(atob(String(entry.params?.salt)), (c) => c.charCodeAt(0));
    salt[0] = (salt[0] as number) ^ 1;
    const tamperedSalt: WrappedKey = {
      ...entry,
      params: { ...entry.params, salt: btoa(String.fromCharCode(...salt)) },
    };
    expect((await failure(w.unwrap(tamperedSalt))).code).toBe('ERR_KMS_WRONG_KEY');
    const tamperedCost: WrappedKey = { ...entry, params: { ...entry.params, iterations: 1001 } };
    expect((await failure(w.unwrap(tamperedCost))).code).toBe('ERR_KMS_WRONG_KEY');
    const tamperedAlgo: WrappedKey = { ...entry, params: { ...entry.params, algorithm: 'scrypt' } };
    expect((await failure(w.unwrap(tamperedAlgo))).code).toBe('ERR_KDF_PARAMS_INVALID');
    const extraField: WrappedKey = { ...entry, params: { ...entry.params, hint: 'x' } };
    expect((await failure(w.unwrap(extraField))).code).toBe('ERR_KDF_PARAMS_INVALID');
    const noParams: WrappedKey = { scheme: entry.scheme, id: entry.id, wrapped: entry.wrapped };
    expect((await failure(w.unwrap(noParams))).code).toBe('ERR_KDF_PARAMS_INVALID');
  });

  it('refuses out-of-bounds parameters before deriving anything', async () => {
    const entry = await passphraseWrapper(PASS, { kdf: fastArgon }).wrap(dek);
    const hostile: WrappedKey[] = [
      { ...entry, params: { ...entry.params, memoryKiB: 64 * 1024 * 1024 } }, // 64 GiB
      { ...entry, params: { ...entry.params, iterations: 1_000_000 } },
      {
        ...entry,
        params: { algorithm: 'pbkdf2-sha256', iterations: 2 ** 40, salt: entry.params?.salt },
      },
      { ...entry, params: { ...entry.params, salt: btoa('x'.repeat(100_000)) } },
    ];
    for (const h of hostile) {
      const started = performance.now();
      const e = await failure(passphraseWrapper(PASS).unwrap(h));
      expect(e.code).toBe('ERR_KDF_PARAMS_OUT_OF_BOUNDS');
      expect(e.message).toMatch(/^passphrase: KDF parameters out of bounds/);
      // Not a speed assertion: a derivation at these costs would take hours, so finishing at all
      // within the test timeout shows nothing was derived.
      expect(performance.now() - started).toBeLessThan(30_000);
    }
    // Caller-chosen limits apply too.
    const strict = passphraseWrapper(PASS, { limits: { maxArgon2MemoryKiB: 32 } });
    expect((await failure(strict.unwrap(entry))).code).toBe('ERR_KDF_PARAMS_OUT_OF_BOUNDS');
  });

  it('matches every passphrase entry and nothing else', async () => {
    const w = passphraseWrapper(PASS);
    expect(w.matches({ scheme: 'passphrase', id: 'passphrase', wrapped: new Uint8Array() })).toBe(
      true,
    );
    expect(w.matches({ scheme: 'local-kms', id: 'passphrase', wrapped: new Uint8Array() })).toBe(
      false,
    );
    expect(w.redactedUri).toBe('passphrase:');
  });

  it('round-trips with and without a context, to a new blob each time', async () => {
    const w = passphraseWrapper(PASS, { kdf: fastArgon });
    const context = new TextEncoder().encode('chain-42');
    const a = await w.wrap(dek);
    const b = await w.wrap(dek, context);
    expect(hexOf(a.wrapped).includes(hexOf(dek))).toBe(false);
    expect((await w.wrap(dek)).wrapped).not.toEqual(a.wrapped);
    expect(await w.unwrap(a)).toEqual(dek);
    expect(await w.unwrap(b, context)).toEqual(dek);
    // The same passphrase with another KDF opens both too (matching is by scheme).
    expect(await passphraseWrapper(PASS, { kdf: fastPbkdf2 }).unwrap(b, context)).toEqual(dek);
  });

  it('binds the context: another or no context is ERR_KMS_BAD_WRAPPED_KEY', async () => {
    const w = passphraseWrapper(PASS, { kdf: fastArgon });
    const entry = await w.wrap(dek, new TextEncoder().encode('chain-42'));
    expect((await failure(w.unwrap(entry, new TextEncoder().encode('chain-43')))).code).toBe(
      'ERR_KMS_BAD_WRAPPED_KEY',
    );
    expect((await failure(w.unwrap(entry))).code).toBe('ERR_KMS_BAD_WRAPPED_KEY');
  });

  it('detects a tampered or truncated blob, never leaking the passphrase', async () => {
    const w = passphraseWrapper(PASS, { kdf: fastArgon });
    const entry = await w.wrap(dek);
    const n = entry.wrapped.length;
    for (let at = 0; at < n; at++) {
      const wrapped = new Uint8Array(entry.wrapped);
      wrapped[at] = (wrapped[at] as number) ^ 0x80;
      const e = await failure(w.unwrap({ ...entry, wrapped }));
      expect(['ERR_KMS_BAD_WRAPPED_KEY', 'ERR_KMS_WRONG_KEY'], `flip at ${at}`).toContain(e.code);
      expect(`${e.message}${e.stack}`).not.toContain(PASS);
    }
    const short = await failure(w.unwrap({ ...entry, wrapped: entry.wrapped.subarray(0, n - 1) }));
    expect(short.code).toBe('ERR_KMS_BAD_WRAPPED_KEY');
  });

  it('refuses an entry of another provider with ERR_KMS_WRONG_KEY', async () => {
    const e = await failure(
      passphraseWrapper(PASS).unwrap({ scheme: 'local-kms', id: 'x', wrapped: new Uint8Array(77) }),
    );
    expect(e.code).toBe('ERR_KMS_WRONG_KEY');
    expect(e.message).toContain('passphrase:');
  });

  it('guards its arguments', async () => {
    expect(() => passphraseWrapper('')).toThrow(/empty/);
    expect(() => passphraseWrapper(3 as unknown as string)).toThrow(TypeError);
    expect(() => passphraseWrapper(PASS, { kdf: { ...fastPbkdf2, iterations: -1 } })).toThrow(
      /iterations/,
    );
    await expect(
      passphraseWrapper(PASS, { kdf: fastPbkdf2 }).wrap(new Uint8Array(31)),
    ).rejects.toThrow(/32 bytes/);
  });
});
