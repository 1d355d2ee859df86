import {
  HARMLESS_STORAGE_PARAMS as HARMLESS_PARAMS,
  StorageError as TypedError,
} from '@sealstream/storage';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseS3Uri } from './parseS3Uri.ts';

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
const parse = (u: string) => parseS3Uri(new URL(u));
const parameters = fc.constantFrom(
  'AUTH=implicit',
  'AUTH=specified',
  'REGION=eu',
  'AWS_REGION=eu',
  'AWS_ENDPOINT=http://h:9',
  'GCS_ENDPOINT=http://h',
  'AZURE_ACCOUNT_NAME=a',
  'AZURE_TENANT_ID=t',
  'AZURE_CLIENT_ID=c',
  'AZURE_VAULT_NAME=v',
  'GCP_ENDPOINT=http://h',
);

describe('parseS3Uri fuzz', () => {
  it('random URIs: a location or ERR_STORAGE_BAD_URI whose message holds no credential', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          uriOf(fc.constantFrom('s3', 'S3')),
          fc
            .tuple(uriOf(fc.constant('s3')), fc.array(parameters, { maxLength: 3 }))
            .map(([b, ps]) => ({
              ...b,
              uri: `${b.uri}${b.uri.includes('?') ? '&' : '?'}${ps.join('&')}`,
            })),
        ),
        (built) => {
          try {
            parse(built.uri);
          } catch (e) {
            if (e instanceof TypeError && !(e instanceof TypedError)) return; // new URL() refused it
            if (!(e instanceof TypedError) || e.code !== 'ERR_STORAGE_BAD_URI') throw e;
            for (const s of credentialSecrets(built, HARMLESS))
              expect(e.message, `${JSON.stringify(built.uri)}`).not.toContain(s);
          }
        },
      ),
      fuzz(1500),
    );
  });
});
