import { describe, expect, it } from 'vitest';
import { generateLocalKey } from './generateLocalKey.ts';
import type { KeyWrapper, WrappedKey } from './KeyWrapper.ts';
import { KmsError } from './KmsError.ts';
import { localKeyWrapper } from './localKeyWrapper.ts';
import { passphraseWrapper } from './passphraseWrapper.ts';
import { MAX_ENTRIES_PER_KEY, NoUsableKeyError, unwrapDataKey } from './unwrapDataKey.ts';
import { wrapDataKey } from './wrapDataKey.ts';

const fastKdf = { algorithm: 'pbkdf2-sha256', iterations: 1000, salt: new Uint8Array(16) } as const;
const context = new TextEncoder().encode('chain-1234');

function threeKeys(): KeyWrapper[] {
  return [1, 2, 3].map((n) => localKeyWrapper(generateLocalKey(), `local-kms:///keys/k${n}`));
}

async function failure(p: Promise<unknown>): Promise<KmsError> {
  try {
    await p;
  } catch (e) {
    return e as KmsError;
  }
  throw new Error('expected a failure');
}

describe('wrapDataKey / unwrapDataKey (the envelope)', () => {
  it('wraps under three local keys; each one alone opens the DEK', async () => {
    const keys = threeKeys();
    const dek = crypto.getRandomValues(new Uint8Array(32));
    const entries = await wrapDataKey(dek, keys, { context });
    expect(entries.map((e) => e.id)).toEqual(keys.map((k) => k.id));
    for (const key of keys) {
      const r = await unwrapDataKey(entries, [key], { context });
      expect(r.dek).toEqual(dek);
      expect(r.wrapper).toBe(key);
      expect(r.entry.id).toBe(key.id);
      expect(r.failures).toEqual([]);
    }
  });

  it('tries wrappers in order and reports each failure before the one that works', async () => {
    const [a, b, c] = threeKeys() as [KeyWrapper, KeyWrapper, KeyWrapper];
    const stranger = localKeyWrapper(generateLocalKey(), 'local-kms:///keys/stranger');
    const dek = crypto.getRandomValues(new Uint8Array(32));
    const entries = await wrapDataKey(dek, [a, b], { context });
    const r = await unwrapDataKey(entries, [stranger, c, b, a], { context });
    expect(r.wrapper).toBe(b);
    expect(r.dek).toEqual(dek);
    expect(r.failures.map((f) => [f.uri, f.error.code])).toEqual([
      ['local-kms:///keys/stranger', 'ERR_KMS_WRONG_KEY'],
      ['local-kms:///keys/k3', 'ERR_KMS_WRONG_KEY'],
    ]);
  });

  it('throws ERR_KMS_NO_USABLE_KEY listing every key and why when none works', async () => {
    const [a, b] = threeKeys() as [KeyWrapper, KeyWrapper];
    const dek = crypto.getRandomValues(new Uint8Array(32));
    const entries = await wrapDataKey(dek, [a, passphraseWrapper('right', { kdf: fastKdf })], {
      context,
    });
    const e = await failure(
      unwrapDataKey(entries, [b, passphraseWrapper('wrong', { kdf: fastKdf })], { context }),
    );
    expect(e).toBeInstanceOf(NoUsableKeyError);
    expect(e.code).toBe('ERR_KMS_NO_USABLE_KEY');
    expect(e.message).toContain('local-kms:///keys/k2');
    expect(e.message).toContain('passphrase:');
    expect(e.message).toContain('wrong passphrase');
    expect(e.message).not.toContain('wrong"');
    expect((e as NoUsableKeyError).failures.map((f) => f.error.code)).toEqual([
      'ERR_KMS_WRONG_KEY',
      'ERR_KMS_WRONG_KEY',
    ]);
    const none = await failure(unwrapDataKey(entries, [], { context }));
    expect(none.code).toBe('ERR_KMS_NO_USABLE_KEY');
    expect(none.message).toContain('No key given');
    expect(none.message).toContain('local-kms, passphrase');
  });

  it('a wrong context is reported per key as ERR_KMS_BAD_WRAPPED_KEY', async () => {
    const [a] = threeKeys() as [KeyWrapper];
    const entries = await wrapDataKey(crypto.getRandomValues(new Uint8Array(32)), [a], { context });
    const e = (await failure(
      unwrapDataKey(entries, [a], { context: new Uint8Array([1]) }),
    )) as NoUsableKeyError;
    expect(e.failures[0]?.error.code).toBe('ERR_KMS_BAD_WRAPPED_KEY');
  });

  it('a key that unwraps to a DEK failing the check value counts as a wrong key', async () => {
    const [a, b] = threeKeys() as [KeyWrapper, KeyWrapper];
    const dek = crypto.getRandomValues(new Uint8Array(32));
    const other = crypto.getRandomValues(new Uint8Array(32));
    // Entry for `a` holds a different DEK (as a forged or mixed-up ENCRYPTION_INFO would).
    const entries = [...(await wrapDataKey(other, [a])), ...(await wrapDataKey(dek, [b]))];
    const check = async (k: Uint8Array) => k.every((x, i) => x === dek[i]);
    const r = await unwrapDataKey(entries, [a, b], { check });
    expect(r.wrapper).toBe(b);
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]?.error.code).toBe('ERR_KMS_WRONG_KEY');
    expect(r.failures[0]?.error.message).toContain('check value');
  });

  it('bounds a hanging provider with ERR_KMS_TIMEOUT and moves on', async () => {
    const [a] = threeKeys() as [KeyWrapper];
    const dek = crypto.getRandomValues(new Uint8Array(32));
    const entries = await wrapDataKey(dek, [a]);
    const hanging: KeyWrapper = {
      scheme: 'local-kms',
      id: a.id,
      redactedUri: 'hang-kms:///k?TOKEN=redacted',
      wrap: () => new Promise(() => {}),
      unwrap: () => new Promise(() => {}),
      identify: async () => a.id,
      matches: () => true,
    };
    const r = await unwrapDataKey(entries, [hanging, a], { timeoutMs: 50 });
    expect(r.wrapper).toBe(a);
    expect(r.failures[0]?.error.code).toBe('ERR_KMS_TIMEOUT');
    expect(r.failures[0]?.error.message).toContain('hang-kms:///k');
    const w = await failure(wrapDataKey(dek, [a, hanging], { timeoutMs: 50 }));
    expect(w.code).toBe('ERR_KMS_WRAP_FAILED');
    expect(w.message).toContain('ERR_KMS_TIMEOUT');
  });

  it('records a wrapper that cannot identify its key and moves on to the next', async () => {
    const [a] = threeKeys() as [KeyWrapper];
    const dek = crypto.getRandomValues(new Uint8Array(32));
    const entries = await wrapDataKey(dek, [a]);
    let unwrapped = false;
    const unknowable: KeyWrapper = {
      scheme: 'local-kms',
      id: a.id,
      redactedUri: 'deny-kms:///alias/k',
      wrap: async () => {
        throw new Error('unused');
      },
      unwrap: async () => {
        unwrapped = true;
        return dek;
      },
      identify: async () => {
        throw new KmsError('ERR_KMS_ACCESS_DENIED', 'deny-kms:///alias/k: DescribeKey denied');
      },
      matches: () => true,
    };
    const r = await unwrapDataKey(entries, [unknowable, a]);
    expect(r.wrapper).toBe(a);
    expect(unwrapped).toBe(false);
    expect(r.failures.map((f) => f.error.code)).toEqual(['ERR_KMS_ACCESS_DENIED']);
  });

  it('fails the whole wrap when any wrapper fails, naming its redacted URI', async () => {
    const [a] = threeKeys() as [KeyWrapper];
    const broken: KeyWrapper = {
      scheme: 'aws',
      id: 'arn:aws:kms:eu:1:key/x',
      redactedUri: 'aws:///alias/x?AWS_SECRET_ACCESS_KEY=redacted',
      wrap: async () => {
        throw new KmsError(
          'ERR_KMS_ACCESS_DENIED',
          'aws:///alias/x?AWS_SECRET_ACCESS_KEY=redacted: denied',
        );
      },
      unwrap: async () => new Uint8Array(32),
      identify: async () => 'arn:aws:kms:eu:1:key/x',
      matches: () => false,
    };
    const e = await failure(wrapDataKey(crypto.getRandomValues(new Uint8Array(32)), [a, broken]));
    expect(e.code).toBe('ERR_KMS_WRAP_FAILED');
    expect(e.message).toContain(
      'aws:///alias/x?AWS_SECRET_ACCESS_KEY=redacted (ERR_KMS_ACCESS_DENIED',
    );
    expect((e.cause as KmsError).code).toBe('ERR_KMS_ACCESS_DENIED');
  });

  it('wraps plain errors of a provider into a typed error and keeps going on unwrap', async () => {
    const [a] = threeKeys() as [KeyWrapper];
    const dek = crypto.getRandomValues(new Uint8Array(32));
    const entries = await wrapDataKey(dek, [a]);
    const flaky: KeyWrapper = {
      ...a,
      redactedUri: 'flaky:///k',
      unwrap: async () => {
        throw new Error('socket hang up');
      },
    };
    const r = await unwrapDataKey(entries, [flaky, a]);
    expect(r.failures[0]?.error.code).toBe('ERR_KMS_UNWRAP_FAILED');
    expect(r.failures[0]?.error.message).toBe('flaky:///k: Error: socket hang up');
  });

  it('guards its arguments', async () => {
    const [a] = threeKeys() as [KeyWrapper];
    await expect(wrapDataKey(new Uint8Array(16), [a])).rejects.toThrow(
      /32 bytes, received 16 bytes/,
    );
    await expect(wrapDataKey(new Uint8Array(32), [])).rejects.toThrow(/at least one key wrapper/);
    // The context is an option, as unwrapDataKey takes it; a positional one is refused, not lost.
    await expect(
      wrapDataKey(new Uint8Array(32), [a], new Uint8Array(3) as unknown as { context: Uint8Array }),
    ).rejects.toThrow(/\{ context \}/);
    await expect(unwrapDataKey(undefined as unknown as WrappedKey[], [a])).rejects.toThrow(
      TypeError,
    );
  });

  it('tries a passphrase against at most four entries, and says so when decoys fill the cap', async () => {
    const dek = crypto.getRandomValues(new Uint8Array(32));
    const real = await passphraseWrapper('the right one', { kdf: fastKdf }).wrap(dek, context);
    const decoys = await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        passphraseWrapper(`decoy ${n}`, { kdf: fastKdf }).wrap(dek, context),
      ),
    );
    /** The right passphrase, counting its unwrap calls (one KDF run each). */
    const counted = () => {
      const inner = passphraseWrapper('the right one');
      const calls = { n: 0 };
      const wrapper: KeyWrapper = {
        ...inner,
        unwrap: (entry, ctx) => {
          calls.n++;
          return inner.unwrap(entry, ctx);
        },
      };
      return { wrapper, calls };
    };

    const hidden = counted();
    const e = await failure(unwrapDataKey([...decoys, real], [hidden.wrapper], { context }));
    expect(MAX_ENTRIES_PER_KEY).toBe(4);
    expect(hidden.calls.n).toBe(4);
    expect(e).toBeInstanceOf(NoUsableKeyError);
    expect((e as NoUsableKeyError).failures.map((f) => f.error.code)).toEqual([
      'ERR_KMS_WRONG_KEY',
      'ERR_KMS_WRONG_KEY',
      'ERR_KMS_WRONG_KEY',
      'ERR_KMS_WRONG_KEY',
      'ERR_KMS_TOO_MANY_ENTRIES',
    ]);
    expect(e.message).toContain('6 entries match this key; only the first 4 were tried');

    const first = counted();
    expect((await unwrapDataKey([real, ...decoys], [first.wrapper], { context })).dek).toEqual(dek);
    expect(first.calls.n).toBe(1);
    const wider = counted();
    const r = await unwrapDataKey([...decoys, real], [wider.wrapper], {
      context,
      maxEntriesPerKey: 8,
    });
    expect(r.dek).toEqual(dek);
    expect(wider.calls.n).toBe(6);
    await expect(
      unwrapDataKey([real], [first.wrapper], { context, maxEntriesPerKey: 0 }),
    ).rejects.toThrow(RangeError);
  });
});
