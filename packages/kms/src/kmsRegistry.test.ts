import { afterEach, describe, expect, it } from 'vitest';
import { generateLocalKey } from './generateLocalKey.ts';
import type { KeyWrapperFactory } from './KeyWrapper.ts';
import {
  createKeyWrapper,
  kmsSchemes,
  registerKmsProvider,
  unregisterKmsProvider,
} from './kmsRegistry.ts';
import { localKeyWrapper } from './localKeyWrapper.ts';

/** The error `promise` rejects with; fails the test if it resolves. */
function rejection(promise: Promise<unknown>): Promise<Error & { code: string }> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as Error & { code: string },
  );
}

const key = generateLocalKey();
const factory: KeyWrapperFactory = (url) => localKeyWrapper(key, url.href);

afterEach(() => {
  for (const s of kmsSchemes()) unregisterKmsProvider(s);
});

describe('KMS provider registry', () => {
  it('creates a wrapper through the provider of the URI scheme', async () => {
    registerKmsProvider('test-kms', factory);
    const seen: URL[] = [];
    registerKmsProvider('other-kms:', async (url) => {
      seen.push(url);
      return localKeyWrapper(key, url.href);
    });
    expect(kmsSchemes()).toEqual(['other-kms', 'test-kms']);
    const w = await createKeyWrapper('TEST-KMS:///a?TOKEN=abc');
    expect(w.redactedUri).toBe('test-kms:///a?TOKEN=redacted');
    await createKeyWrapper('other-kms:///b');
    expect(seen.map((u) => u.pathname)).toEqual(['/b']);
  });

  it('unknown scheme: ERR_KMS_UNKNOWN_SCHEME listing the known ones', async () => {
    registerKmsProvider('test-kms', factory);
    registerKmsProvider('aws', factory);
    const e = await rejection(createKeyWrapper('gs:///projects/p/cryptoKeys/k'));
    expect(e.code).toBe('ERR_KMS_UNKNOWN_SCHEME');
    expect(e.message).toBe('No KMS provider for scheme "gs"; known schemes: aws, test-kms');
    const p = await rejection(createKeyWrapper('passphrase:x'));
    expect(p.message).toContain('use passphraseWrapper()');
    unregisterKmsProvider('aws');
    unregisterKmsProvider('test-kms');
    const none = await rejection(createKeyWrapper('aws:///k'));
    expect(none.message).toContain('(none registered)');
  });

  it('bad URI: ERR_KMS_BAD_URI before any provider runs', async () => {
    const e = await rejection(createKeyWrapper('not a uri'));
    expect(e.code).toBe('ERR_KMS_BAD_URI');
  });

  it('re-registering the same factory is a no-op; another factory needs replace', () => {
    registerKmsProvider('test-kms', factory);
    registerKmsProvider('test-kms', factory);
    const other: KeyWrapperFactory = (url) => localKeyWrapper(generateLocalKey(), url.href);
    expect(() => registerKmsProvider('test-kms', other)).toThrow(/already has a provider/);
    registerKmsProvider('test-kms', other, { replace: true });
    expect(() => registerKmsProvider('bad scheme', factory)).toThrow(TypeError);
    expect(() => registerKmsProvider('x', 'nope' as unknown as KeyWrapperFactory)).toThrow(
      TypeError,
    );
  });
});
