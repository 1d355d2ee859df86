/**
 * What the URI fuzz targets share (docs/FUZZING.md): URI-ish strings of words, noise and secrets,
 * the secrets a URL parser reads as credentials, and the property every driver's URI parser keeps.
 * Test code only, reached by a relative path (no package exports it); it imports nothing from
 * Node, so the kms and storage targets run in Chromium, Deno and workerd too.
 */
import fc from 'fast-check';
import { expect } from 'vitest';

export { fuzz } from './fuzz.ts';

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

export interface Built {
  uri: string;
  secrets: string[];
}

/** A URI-ish string of words, noise and secrets after a scheme. */
export function uriOf(schemes: fc.Arbitrary<string>): fc.Arbitrary<Built> {
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
export function credentialSecrets(
  { uri, secrets }: Built,
  harmless: ReadonlySet<string>,
): string[] {
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

/** Parameters the drivers know, of every provider, appended to a driver's URIs. */
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

/** A driver's URIs: its scheme in either case, or in lowercase with known parameters appended. */
export function driverUris(scheme: string): fc.Arbitrary<Built> {
  return fc.oneof(
    uriOf(fc.constantFrom(scheme, scheme.toUpperCase())),
    fc.tuple(uriOf(fc.constant(scheme)), fc.array(parameters, { maxLength: 3 })).map(([b, ps]) => ({
      ...b,
      uri: `${b.uri}${b.uri.includes('?') ? '&' : '?'}${ps.join('&')}`,
    })),
  );
}

/**
 * The property of a driver's URI parser: `parse` returns a location, or throws a TypeError from
 * `new URL()`, or an `error` with `code` whose message holds none of the credential secrets.
 */
export function parsedOrRefused(
  parse: (uri: string) => unknown,
  error: abstract new (...args: never[]) => Error & { code: string },
  code: string,
  harmlessParams: readonly string[],
): (built: Built) => void {
  const harmless = new Set(harmlessParams);
  return (built) => {
    try {
      parse(built.uri);
    } catch (e) {
      if (e instanceof TypeError && !(e instanceof error)) return; // new URL() refused it
      if (!(e instanceof error) || e.code !== code) throw e;
      for (const s of credentialSecrets(built, harmless))
        expect(e.message, `${JSON.stringify(built.uri)}`).not.toContain(s);
    }
  };
}
