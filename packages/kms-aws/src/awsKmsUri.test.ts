import { describe, expect, it } from 'vitest';
import { parseAwsKmsUri, redactAwsKmsUri } from './awsKmsUri.ts';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const base = `AUTH=specified&REGION=us-east-1&AWS_ACCESS_KEY_ID=AKIDEXAMPLE&AWS_SECRET_ACCESS_KEY=${encodeURIComponent(SECRET)}`;

function badUri(uri: string): { code: string; message: string } {
  try {
    parseAwsKmsUri(uri);
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error(`accepted ${uri}`);
}

describe('parseAwsKmsUri', () => {
  it('parses keys named by alias, key id, key ARN and alias ARN', () => {
    expect(parseAwsKmsUri(`aws:///alias/backup?${base}`).key).toBe('alias/backup');
    const id = '1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(parseAwsKmsUri(`aws:///${id}?${base}`).key).toBe(id);
    const arn = `arn:aws:kms:us-east-1:111122223333:key/${id}`;
    const c = parseAwsKmsUri(
      `aws:///${arn}?${base}&AWS_SESSION_TOKEN=tok&AWS_ENDPOINT=http%3A%2F%2F127.0.0.1%3A9`,
    );
    expect(c.key).toBe(arn);
    expect(c.credentials).toEqual({
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: SECRET,
      sessionToken: 'tok',
    });
    expect(c.endpoint).toBe('http://127.0.0.1:9');
    expect(
      parseAwsKmsUri('aws:///arn:aws:kms:eu-west-1:111122223333:alias/x?AUTH=implicit').region,
    ).toBe('eu-west-1');
    expect(
      parseAwsKmsUri('aws:///alias/x?AUTH=implicit&REGION=eu-west-1').credentials,
    ).toBeUndefined();
    // AUTH's value is case-insensitive, as in the storage URIs.
    expect(
      parseAwsKmsUri('aws:///alias/x?AUTH=IMPLICIT&REGION=eu-west-1').credentials,
    ).toBeUndefined();
  });

  it('rejects malformed URIs, missing and unknown parameters with ERR_KMS_BAD_URI and no secret', () => {
    const cases: Array<[string, RegExp]> = [
      ['not a uri', /not a URI/],
      [`s3:///alias/x?${base}`, /scheme must be aws:/],
      [`aws://alias/x?${base}`, /goes in the path/],
      [`aws:///?${base}`, /missing key/],
      [`aws:///not a key!?${base}`, /not a key id/],
      [`aws:///alias/x?${base}&BUCKET=y`, /unknown parameter BUCKET/],
      [`aws:///alias/x?${base}&REGION=us-east-1`, /given twice/],
      [
        `aws:///alias/x?AUTH=specified&AWS_ACCESS_KEY_ID=A&AWS_SECRET_ACCESS_KEY=${SECRET}`,
        /missing REGION/,
      ],
      [
        'aws:///alias/x?AUTH=specified&REGION=us-east-1&AWS_ACCESS_KEY_ID=A',
        /needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/,
      ],
      [
        `aws:///alias/x?AUTH=implicit&REGION=us-east-1&AWS_SECRET_ACCESS_KEY=${SECRET}`,
        /AUTH=implicit takes no/,
      ],
      ['aws:///alias/x?AUTH=sometimes&REGION=us-east-1', /AUTH must be/],
      [`aws:///alias/x?${base}&AWS_ENDPOINT=ftp%3A%2F%2Fh`, /AWS_ENDPOINT must be/],
      [
        `aws:///arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab?${base}`,
        /differs from the key ARN's region/,
      ],
    ];
    for (const [uri, why] of cases) {
      const e = badUri(uri);
      expect(e.code, uri).toBe('ERR_KMS_BAD_URI');
      expect(e.message).toMatch(why);
      expect(e.message).not.toContain(SECRET);
      expect(e.message).not.toContain(encodeURIComponent(SECRET));
    }
  });

  it('redacts the access key id, the secret key and the session token', () => {
    const r = redactAwsKmsUri(`aws:///alias/x?${base}&AWS_SESSION_TOKEN=tok`);
    expect(r).toBe(
      'aws:///alias/x?AUTH=specified&REGION=us-east-1&AWS_ACCESS_KEY_ID=redacted&AWS_SECRET_ACCESS_KEY=redacted&AWS_SESSION_TOKEN=redacted',
    );
  });
});
