import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkParams } from './checkParams.ts';
import { generateLocalKey } from './generateLocalKey.ts';
import { KmsError } from './KmsError.ts';
import { createKeyWrapper, registerKmsProvider, unregisterKmsProvider } from './kmsRegistry.ts';
import { localKeyWrapper } from './localKeyWrapper.ts';
import { parseKmsUri } from './parseKmsUri.ts';
import { HARMLESS_PARAMS, redactUri } from './redactUri.ts';

// Fuzz target (docs/FUZZING.md): a fixed seed and case count here; SEALSTREAM_FUZZ_RUNS,
// SEALSTREAM_FUZZ_SEED and SEALSTREAM_FUZZ_PATH run longer or replay a failure.
const env =
  (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
function fuzz<T>(runs: number): fc.Parameters<T> {
  return {
    numRuns: Number(env.SEALSTREAM_FUZZ_RUNS) || runs,
    seed: Number(env.SEALSTREAM_FUZZ_SEED) || 13,
    ...(env.SEALSTREAM_FUZZ_PATH ? { path: env.SEALSTREAM_FUZZ_PATH } : {}),
  };
}

/** A secret: letters and digits behind a marker, so it is never part of the text around it. */
const secret = fc.stringMatching(/^[A-Za-z0-9]{8,16}$/).map((s) => `SeKr${s}`);
const noise = fc.constantFrom(
  '\t',
  '\n',
  '\r',
  ' ',
  '/',
  '//',
  '\\',
  '@',
  ':',
  '?',
  '&',
  ';',
  '#',
  '=',
  '%',
  '%2',
  '%41',
  '+',
  '.',
  '',
);
const word = fc.oneof(
  fc.constantFrom(
    'bucket',
    'pre',
    'fix',
    'me',
    'user',
    'minio:9000',
    'http:',
    'https://h',
    'AWS_REGION',
    'aws_region',
    'AWS%5FREGION',
    ' AWS_REGION',
    'AWS_ENDPOINT',
    'COCKROACH_LOCALITY',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SECRET_KEY',
    'CREDENTIALS',
    'AZURE_SAS_TOKEN',
    'sig',
    'sv',
    'AZURE_ACCOUNT_NAME',
    'GCS_PROJECT',
  ),
  fc.string({ maxLength: 4 }),
);

interface Built {
  uri: string;
  secrets: string[];
}

/** A URI-ish string of words, noise and secrets after a scheme. */
function uriOf(schemes: fc.Arbitrary<string>): fc.Arbitrary<Built> {
  return fc
    .tuple(
      fc.constantFrom('', ' ', '\t', '\n'),
      schemes,
      fc.constantFrom(':', '://', ':/', ':///', ':/\n/', ':\t//'),
      fc.array(
        fc.oneof(
          { weight: 3, arbitrary: word.map((w) => ({ text: w })) },
          { weight: 3, arbitrary: noise.map((w) => ({ text: w })) },
          { weight: 2, arbitrary: secret.map((s) => ({ text: s, secret: true })) },
        ),
        { minLength: 1, maxLength: 24 },
      ),
    )
    .map(([lead, scheme, sep, parts]) => ({
      uri: `${lead}${scheme}${sep}${parts.map((p) => p.text).join('')}`,
      secrets: parts.filter((p) => 'secret' in p).map((p) => p.text),
    }));
}

/**
 * The secrets a URL parser would read as credentials: user info, the fragment, and the names and
 * values of parameters that are not on the harmless list.
 */
function credentialSecrets({ uri, secrets }: Built, harmless: ReadonlySet<string>): string[] {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return [];
  }
  const places = [url.username, url.password, url.hash];
  // Each part of the query: a bare word is all secret; in name=value, the value unless harmless.
  for (const part of url.search.slice(1).split('&')) {
    if (!part.includes('=')) places.push(part);
    else
      for (const [name, value] of new URLSearchParams(part))
        if (!harmless.has(name.trim().toUpperCase())) places.push(value);
  }
  const decoded = places.map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  return secrets.filter(
    (s) => places.some((p) => p.includes(s)) || decoded.some((p) => p.includes(s)),
  );
}

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
