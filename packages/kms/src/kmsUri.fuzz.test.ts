import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Built, credentialSecrets, fuzz, uriOf } from '../../../tests/src/fuzz/uriFuzz.ts';
import { checkParams } from './checkParams.ts';
import { generateLocalKey } from './generateLocalKey.ts';
import { KmsError } from './KmsError.ts';
import { createKeyWrapper, registerKmsProvider, unregisterKmsProvider } from './kmsRegistry.ts';
import { localKeyWrapper } from './localKeyWrapper.ts';
import { parseKmsUri } from './parseKmsUri.ts';
import { HARMLESS_PARAMS, redactUri } from './redactUri.ts';

// Fuzz target (docs/FUZZING.md): URIs of words, noise and secrets (tests/src/fuzz/uriFuzz.ts).
const HARMLESS = new Set(HARMLESS_PARAMS);
const KNOWN = ['aws', 'gs', 'azure-kms', 'local-kms', 'fuzz-kms'];
const schemes = fc.oneof(
  fc.constantFrom(...KNOWN, 'AWS', 'passphrase', 'hunter2'),
  fc.stringMatching(/^[a-z][a-z0-9+.-]{0,6}$/),
);

/** The secrets the redaction must hide: every one for an unknown scheme, else the credential ones. */
function mustHide(built: Built): string[] {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(built.uri.replace(/[\t\n\r]/g, ''));
  if (!scheme || !KNOWN.includes((scheme[1] as string).toLowerCase())) return built.secrets;
  return credentialSecrets(built, HARMLESS);
}

describe('KMS URI fuzz', () => {
  beforeAll(() => {
    const key = generateLocalKey();
    registerKmsProvider('fuzz-kms', (url) => {
      checkParams(url, ['REGION', 'AWS_ENDPOINT']);
      return localKeyWrapper(key, url.href);
    });
  });
  afterAll(() => {
    unregisterKmsProvider('fuzz-kms');
  });

  it('redactUri: no secret survives from an unknown scheme or a non-URI, nor a credential from a known one', () => {
    fc.assert(
      fc.property(uriOf(schemes), (built) => {
        const out = redactUri(built.uri);
        for (const s of mustHide(built))
          expect(out, `${JSON.stringify(built.uri)} → ${JSON.stringify(out)}`).not.toContain(s);
        expect(redactUri(out)).toBe(out);
      }),
      fuzz(3000),
    );
  });

  it('redactUri of a pasted passphrase (any text without a known scheme) shows none of it', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (text) => {
        const out = redactUri(text);
        if (!/^\s*(aws|gs|azure-kms|local-kms|fuzz-kms):/i.test(text.replace(/[\t\n\r]/g, '')))
          expect(out).toBe('redacted');
      }),
      fuzz(1000),
    );
  });

  it('parseKmsUri and createKeyWrapper of random URIs: a URL / wrapper or a KmsError that holds no secret', async () => {
    await fc.assert(
      fc.asyncProperty(uriOf(schemes), async (built) => {
        const hide = mustHide(built);
        for (const attempt of [
          async () => parseKmsUri(built.uri),
          async () => createKeyWrapper(built.uri),
        ]) {
          try {
            await attempt();
          } catch (e) {
            if (!(e instanceof KmsError) || !/^ERR_KMS_(BAD_URI|UNKNOWN_SCHEME)$/.test(e.code))
              throw e;
            for (const s of hide) expect(e.message).not.toContain(s);
          }
        }
      }),
      fuzz(1500),
    );
  });

  it('regressions the fuzzer found: tab/newline-split user info, bare secret names', () => {
    expect(redactUri('aws:/\n/AKIA:hunter2pw@kms/k')).toBe('aws://redacted@kms/k');
    expect(redactUri('aws:\t//AKIA:hunter2pw@kms/k')).not.toContain('hunter2pw');
    expect(() => checkParams(new URL('aws:///k?REGION=x&hunter2pw'), ['REGION'])).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('hunter2pw') }),
    );
    expect(() => checkParams(new URL('aws:///k?MY_TYPO=hunter2pw'), ['REGION'])).toThrow(
      /unknown parameter MY_TYPO;/,
    );
  });
});
