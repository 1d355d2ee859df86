import { describe, expect, it } from 'vitest';
import { crc32c } from './crc32c.ts';
import { parseGcpKmsUri, redactGcpKmsUri } from './gcpKmsUri.ts';

const KEY = 'projects/my-project/locations/global/keyRings/ring/cryptoKeys/key';
const SA = {
  type: 'service_account',
  client_email: 'b@my-project.iam.gserviceaccount.com',
  private_key:
    '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n',
};
const CREDS = Buffer.from(JSON.stringify(SA)).toString('base64');

function badUri(uri: string): { code: string; message: string } {
  try {
    parseGcpKmsUri(uri);
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error(`accepted ${uri}`);
}

describe('parseGcpKmsUri', () => {
  it('parses specified and implicit auth, base64 and base64url credentials, and an endpoint', () => {
    const c = parseGcpKmsUri(
      `gs:///${KEY}?AUTH=specified&CREDENTIALS=${encodeURIComponent(CREDS)}&GCP_ENDPOINT=http%3A%2F%2F127.0.0.1%3A8080`,
    );
    expect(c.keyName).toBe(KEY);
    expect(c.credentials).toEqual(SA);
    expect(c.endpoint).toEqual({ protocol: 'http', host: '127.0.0.1', port: 8080 });
    const url64 = Buffer.from(JSON.stringify(SA)).toString('base64url');
    expect(parseGcpKmsUri(`gs:///${KEY}?AUTH=specified&CREDENTIALS=${url64}`).credentials).toEqual(
      SA,
    );
    // An unencoded '+' arrives as a space and is repaired.
    expect(parseGcpKmsUri(`gs:///${KEY}?CREDENTIALS=${CREDS}`).credentials).toEqual(SA);
    // AUTH's value is case-insensitive, as in the storage URIs.
    expect(parseGcpKmsUri(`gs:///${KEY}?AUTH=IMPLICIT`).credentials).toBeUndefined();
    expect(
      parseGcpKmsUri(`gs:///${KEY}?AUTH=implicit&GCP_ENDPOINT=https%3A%2F%2Fprivate.googleapis.com`)
        .endpoint,
    ).toEqual({
      protocol: 'https',
      host: 'private.googleapis.com',
      port: 443,
    });
  });

  it('rejects malformed URIs, missing and unknown parameters with ERR_KMS_BAD_URI and no secret', () => {
    const cases: Array<[string, RegExp]> = [
      ['::', /not a URI/],
      [`aws:///${KEY}?AUTH=implicit`, /scheme must be gs:/],
      [`gs://bucket/${KEY}?AUTH=implicit`, /looks like a bucket/],
      ['gs:///projects/my-project/keyRings/r?AUTH=implicit', /the path must be/],
      [`gs:///${KEY}/cryptoKeyVersions/3?AUTH=implicit`, /not a version/],
      [`gs:///${KEY}?AUTH=specified`, /needs CREDENTIALS/],
      [
        `gs:///${KEY}?AUTH=implicit&CREDENTIALS=${encodeURIComponent(CREDS)}`,
        /takes no CREDENTIALS/,
      ],
      [
        `gs:///${KEY}?AUTH=specified&CREDENTIALS=${encodeURIComponent(CREDS)}&REGION=x`,
        /unknown parameter REGION/,
      ],
      [`gs:///${KEY}?AUTH=specified&CREDENTIALS=%25%25%25`, /not base64/],
      [
        `gs:///${KEY}?AUTH=specified&CREDENTIALS=${btoa('{"type":"authorized_user","client_email":"a","private_key":"b"}')}`,
        /service_account/,
      ],
      [
        `gs:///${KEY}?AUTH=specified&CREDENTIALS=${btoa('{"x":1}')}`,
        /client_email and private_key/,
      ],
      [`gs:///${KEY}?AUTH=implicit&GCP_ENDPOINT=ftp%3A%2F%2Fx`, /GCP_ENDPOINT must be/],
      [`gs:///${KEY}?AUTH=implicit&AUTH=implicit`, /given twice/],
    ];
    for (const [uri, why] of cases) {
      const e = badUri(uri);
      expect(e.code, uri).toBe('ERR_KMS_BAD_URI');
      expect(e.message).toMatch(why);
      expect(e.message).not.toContain(CREDS.slice(0, 30));
    }
  });

  it('redacts CREDENTIALS', () => {
    expect(redactGcpKmsUri(`gs:///${KEY}?AUTH=specified&CREDENTIALS=${CREDS}`)).toBe(
      `gs:///${KEY}?AUTH=specified&CREDENTIALS=redacted`,
    );
  });
});

describe('crc32c', () => {
  it('matches the CRC-32C check value and RFC 3720 vectors', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });
});
