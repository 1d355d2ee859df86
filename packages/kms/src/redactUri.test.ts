import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkParams } from './checkParams.ts';
import { KmsError } from './KmsError.ts';
import { parseKmsUri } from './parseKmsUri.ts';
import { HARMLESS_PARAMS, isSecretParam, redactUri } from './redactUri.ts';

const SECRET_NAMES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AZURE_CLIENT_SECRET',
  'CREDENTIALS',
  'aws_secret_access_key',
  'MY_API_KEY',
  'db_password',
  'sig',
  'X-Auth-Token',
  // Misspelt or unknown names are secret too: only harmless names are shown.
  'AWS_SECRET_KEY',
  'AZURE_ACCOUNT_KEYS',
  'AZURE_SAS',
  'CREDENTIAL',
  'ASSUME_ROLE',
];
const PLAIN_NAMES = [
  'REGION',
  'AUTH',
  'AWS_ENDPOINT',
  'AZURE_TENANT_ID',
  'AZURE_CLIENT_ID',
  'AZURE_VAULT_NAME',
  'region',
];

// Secret values: upper-case letters and digits with at least one digit, 12+ characters, so a
// secret can never be a substring of the lower-case plain values or of the parameter names.
const secretValue = fc.stringMatching(/^[A-Z0-9+/=]{12,40}$/).filter((s) => /[0-9]/.test(s));
const plainValue = fc.stringMatching(/^[a-z-]{0,12}$/);
const scheme = fc.constantFrom('aws', 'gs', 'azure-kms', 'local-kms');
const path = fc.constantFrom(
  '/alias/backup',
  '/projects/p/locations/l/keyRings/r/cryptoKeys/k',
  '/key/version',
  '',
);

const uriCase = fc.record({
  scheme,
  path,
  secrets: fc.array(fc.tuple(fc.constantFrom(...SECRET_NAMES), secretValue), {
    minLength: 1,
    maxLength: 4,
  }),
  plain: fc.array(fc.tuple(fc.constantFrom(...PLAIN_NAMES), plainValue), { maxLength: 4 }),
  userinfo: fc.option(secretValue, { nil: undefined }),
  fragment: fc.option(secretValue, { nil: undefined }),
  encode: fc.boolean(),
  separator: fc.constantFrom('&', ';'),
});

type UriCase = typeof uriCase extends fc.Arbitrary<infer T> ? T : never;

function build(c: UriCase): { uri: string; secrets: string[] } {
  const pairs: [string, string][] = [...c.secrets, ...c.plain];
  const enc = (s: string) => (c.encode ? encodeURIComponent(s) : s);
  const query = pairs.map(([k, v]) => `${k}=${enc(v)}`).join(c.separator);
  const authority = c.userinfo === undefined ? '' : `admin:${c.userinfo}@host`;
  const uri = `${c.scheme}://${authority}${c.path}?${query}${c.fragment === undefined ? '' : `#${c.fragment}`}`;
  const secrets = [
    ...c.secrets.map(([, v]) => v),
    ...(c.userinfo ? [c.userinfo] : []),
    ...(c.fragment ? [c.fragment] : []),
  ];
  return { uri, secrets: secrets.flatMap((s) => [s, encodeURIComponent(s)]) };
}

describe('redactUri', () => {
  it('redacts the documented secret parameters and keeps the rest', () => {
    expect(
      redactUri(
        'aws:///alias/k?AUTH=specified&AWS_ACCESS_KEY_ID=AKIA1&AWS_SECRET_ACCESS_KEY=s3cr3t&AWS_SESSION_TOKEN=t0k&REGION=us-east-1',
      ),
    ).toBe(
      'aws:///alias/k?AUTH=specified&AWS_ACCESS_KEY_ID=redacted&AWS_SECRET_ACCESS_KEY=redacted&AWS_SESSION_TOKEN=redacted&REGION=us-east-1',
    );
    expect(redactUri('gs:///projects/p/cryptoKeys/k?AUTH=specified&CREDENTIALS=eyJhYmMi')).toBe(
      'gs:///projects/p/cryptoKeys/k?AUTH=specified&CREDENTIALS=redacted',
    );
    expect(
      redactUri('azure-kms:///k/v?AZURE_CLIENT_ID=id&AZURE_CLIENT_SECRET=pw&AZURE_TENANT_ID=t'),
    ).toBe('azure-kms:///k/v?AZURE_CLIENT_ID=id&AZURE_CLIENT_SECRET=redacted&AZURE_TENANT_ID=t');
    expect(redactUri('gs://user:pa55@host/b?REGION=1#frag')).toBe(
      'gs://redacted@host/b?REGION=1#redacted',
    );
    expect(redactUri('gs://user:pa/55@host/b')).toBe('gs://redacted@host/b');
    expect(redactUri('local-kms:///etc/key')).toBe('local-kms:///etc/key');
    // A valueless unknown parameter and percent-encoded names are still caught.
    expect(redactUri('aws:///k?AWS%5FSECRET%5FACCESS%5FKEY=abc&TOKEN&REGION=eu')).toBe(
      'aws:///k?AWS%5FSECRET%5FACCESS%5FKEY=redacted&redacted&REGION=eu',
    );
    // Works on text that does not parse as a URL.
    expect(redactUri('aws:// bad uri?AWS_SECRET_ACCESS_KEY=abc def')).toBe(
      'aws:// bad uri?AWS_SECRET_ACCESS_KEY=redacted',
    );
    // Misspelt secrets, credentials inside a harmless endpoint, parameters given without `?`.
    expect(redactUri('aws:///k?AWS_SECRET_KEY=s1&CREDENTIAL=s2&AWS_ENDPOINT=http://u:p@h')).toBe(
      'aws:///k?AWS_SECRET_KEY=redacted&CREDENTIAL=redacted&AWS_ENDPOINT=redacted',
    );
    expect(redactUri('aws:///alias/k&AWS_SECRET_ACCESS_KEY=s3cr3t')).toBe(
      'aws:///alias/k&redacted',
    );
    // Not a URI, or a scheme no provider has: nothing is echoed (a passphrase pasted by mistake).
    expect(redactUri('correct horse battery staple')).toBe('redacted');
    expect(redactUri('hunter2:xyz')).toBe('redacted');
    expect(redactUri('s3://user:pa55@host/b?x=1')).toBe('redacted');
  });

  it('classifies parameter names', () => {
    for (const n of SECRET_NAMES) expect(isSecretParam(n), n).toBe(true);
    for (const n of PLAIN_NAMES) expect(isSecretParam(n), n).toBe(false);
  });

  it('property: no secret value survives redaction, and plain values do', () => {
    fc.assert(
      fc.property(uriCase, (c) => {
        const { uri, secrets } = build(c);
        const out = redactUri(uri);
        for (const s of secrets) expect(out.includes(s), `${s} in ${out}`).toBe(false);
        for (const [k, v] of c.plain) expect(out).toContain(`${k}=${v}`);
        expect(redactUri(out)).toBe(out); // idempotent
      }),
      { numRuns: 500 },
    );
  });

  it('property: no secret value appears in any error from parseKmsUri or checkParams', () => {
    fc.assert(
      fc.property(uriCase, fc.boolean(), (c, breakIt) => {
        const { uri, secrets } = build(c);
        const text = breakIt ? uri.replace('://', ':// broken ') : uri;
        const messages: string[] = [];
        try {
          const url = parseKmsUri(text);
          checkParams(url, ['REGION'], ['AUTH']);
        } catch (e) {
          expect(e).toBeInstanceOf(KmsError);
          expect((e as KmsError).code).toBe('ERR_KMS_BAD_URI');
          messages.push((e as Error).message, String((e as Error).stack));
        }
        // Every generated URI carries at least one unknown (secret-named) parameter or is broken.
        expect(messages.length).toBeGreaterThan(0);
        for (const s of secrets)
          for (const m of messages) expect(m.includes(s), `${s} in ${m}`).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('property: no value of an unknown parameter survives, whatever its name', () => {
    const harmless = new Set(HARMLESS_PARAMS);
    const name = fc
      .stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,24}$/)
      .filter((n) => !harmless.has(n.toUpperCase()));
    fc.assert(
      fc.property(
        scheme,
        path,
        fc.array(fc.tuple(name, secretValue), { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        fc.constantFrom('?', '&', ';'),
        (s, p, params, encode, first) => {
          const enc = (v: string) => (encode ? encodeURIComponent(v) : v);
          // `first` other than `?`: the user forgot the `?`, so the parameters land in the path.
          const uri = `${s}://${p}${first}${params.map(([k, v]) => `${k}=${enc(v)}`).join('&')}`;
          const out = redactUri(uri);
          for (const [, v] of params) {
            expect(out.includes(v), `${v} in ${out}`).toBe(false);
            expect(out.includes(encodeURIComponent(v)), `${v} in ${out}`).toBe(false);
          }
          expect(redactUri(out)).toBe(out);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('property: text that is not a URI of a known scheme is never echoed', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (text) => {
        const out = redactUri(text);
        if (!/^(aws|gs|azure-kms|local-kms):/i.test(text)) expect(out).toBe('redacted');
      }),
      { numRuns: 500 },
    );
  });
});
