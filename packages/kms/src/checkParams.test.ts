import { describe, expect, it } from 'vitest';
import { checkParams } from './checkParams.ts';
import { parseKmsUri, schemeOf } from './parseKmsUri.ts';

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

describe('parseKmsUri', () => {
  it('parses KMS URIs of every provider', () => {
    expect(
      schemeOf(parseKmsUri('aws:///arn:aws:kms:us-east-1:111122223333:key/abc?REGION=us-east-1')),
    ).toBe('aws');
    const gs = parseKmsUri(
      'gs:///projects/p/locations/global/keyRings/r/cryptoKeys/k?AUTH=implicit',
    );
    expect(gs.pathname).toBe('/projects/p/locations/global/keyRings/r/cryptoKeys/k');
    expect(schemeOf(parseKmsUri('AZURE-KMS:///key/ver'))).toBe('azure-kms');
  });

  it('rejects what is not a URI with ERR_KMS_BAD_URI, naming it redacted', () => {
    for (const bad of ['', '   ', '/just/a/path', 'no scheme here', '1aws:///k', 'http://[::1']) {
      expect(
        codeOf(() => parseKmsUri(bad)),
        bad,
      ).toBe('ERR_KMS_BAD_URI');
    }
    const messageOf = (text: string) => {
      try {
        parseKmsUri(text);
      } catch (e) {
        return (e as Error).message;
      }
      throw new Error(`${text} parsed`);
    };
    // A known scheme that does not parse: parameter names are shown, values are not.
    const known = messageOf('aws://[::1?AWS_SECRET_ACCESS_KEY=hunter2hunter2');
    expect(known).toContain('AWS_SECRET_ACCESS_KEY=redacted');
    expect(known).not.toContain('hunter2');
    // Text of another scheme, or with no scheme (a pasted passphrase), is never echoed.
    for (const pasted of [
      'http://[::1?AWS_SECRET_ACCESS_KEY=hunter2hunter2',
      'my hunter2 phrase',
    ]) {
      expect(messageOf(pasted)).toContain('"redacted"');
      expect(messageOf(pasted)).not.toContain('hunter2');
    }
  });
});

describe('checkParams', () => {
  const url = (q: string) => parseKmsUri(`aws:///alias/k${q}`);

  it('returns the parameters when all are known and required ones present', () => {
    expect(checkParams(url('?REGION=eu&AUTH=implicit'), ['AUTH'], ['REGION'])).toEqual({
      REGION: 'eu',
      AUTH: 'implicit',
    });
    expect(checkParams(url(''), ['AUTH'])).toEqual({});
  });

  it('rejects unknown, repeated and missing parameters, naming them (not their values)', () => {
    const cases: [string, RegExp][] = [
      ['?REGION=eu&COLOR=blue', /unknown parameter COLOR; allowed: AUTH, REGION/],
      ['?REGION=eu&region=eu', /unknown parameter region/],
      ['?REGION=eu&REGION=us', /parameter REGION given more than once/],
      ['?AUTH=implicit', /missing required parameter REGION/],
      ['?REGION=', /missing required parameter REGION/],
    ];
    for (const [q, message] of cases) {
      try {
        checkParams(url(q), ['AUTH'], ['REGION']);
        expect.unreachable(q);
      } catch (e) {
        expect((e as { code: string }).code).toBe('ERR_KMS_BAD_URI');
        expect((e as Error).message).toMatch(message);
        expect((e as Error).message).toContain('aws:///alias/k');
      }
    }
  });

  it('names an unknown secret parameter but never its value', () => {
    try {
      checkParams(
        url('?REGION=eu&AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIK7MDENG'),
        ['AUTH'],
        ['REGION'],
      );
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toContain('unknown parameter AWS_SECRET_ACCESS_KEY');
      expect((e as Error).message).not.toContain('wJalrXUtnFEMIK7MDENG');
    }
  });
});
