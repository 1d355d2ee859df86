import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  HARMLESS_STORAGE_PARAMS,
  redactStorageUri,
  SECRET_STORAGE_PARAMS,
} from './redactStorageUri.ts';

describe('redactStorageUri', () => {
  it('redacts every secret parameter and keeps the others', () => {
    const uri =
      's3://bucket/prefix?AWS_ACCESS_KEY_ID=AKIAEXAMPLE&AWS_SECRET_ACCESS_KEY=wJalr%2FXUtnFEMI&AWS_SESSION_TOKEN=tok&AWS_REGION=us-east-1&COCKROACH_LOCALITY=region%3Dwest';
    expect(redactStorageUri(uri)).toBe(
      's3://bucket/prefix?AWS_ACCESS_KEY_ID=redacted&AWS_SECRET_ACCESS_KEY=redacted&AWS_SESSION_TOKEN=redacted&AWS_REGION=us-east-1&COCKROACH_LOCALITY=region%3Dwest',
    );
  });
  it('covers the Azure and GCS secrets', () => {
    const out = redactStorageUri(
      'azure-blob://c/p?AUTH=specified&AZURE_ACCOUNT_NAME=acct&AZURE_CLIENT_SECRET=cs&AZURE_ACCOUNT_KEY=ak%3D%3D&AZURE_CLIENT_ID=id',
    );
    expect(out).toBe(
      'azure-blob://c/p?AUTH=specified&AZURE_ACCOUNT_NAME=acct&AZURE_CLIENT_SECRET=redacted&AZURE_ACCOUNT_KEY=redacted&AZURE_CLIENT_ID=id',
    );
    expect(redactStorageUri('gs://b/p?AUTH=specified&CREDENTIALS=eyJzZWNyZXQiOiJ4In0=')).toBe(
      'gs://b/p?AUTH=specified&CREDENTIALS=redacted',
    );
  });
  it('matches names case-insensitively and percent-encoded, redacts the fragment', () => {
    expect(redactStorageUri('s3://b?aws_secret_access_key=x#frag')).toBe(
      's3://b?aws_secret_access_key=redacted#redacted',
    );
    expect(redactStorageUri('s3://b?AWS%5FSECRET%5FACCESS%5FKEY=x')).toBe(
      's3://b?AWS%5FSECRET%5FACCESS%5FKEY=redacted',
    );
  });
  it('redacts a secret given without a value (name and all) or twice', () => {
    expect(redactStorageUri('s3://b?CREDENTIALS&CREDENTIALS=a&CREDENTIALS=b')).toBe(
      's3://b?redacted&CREDENTIALS=redacted&CREDENTIALS=redacted',
    );
  });
  it('redacts user:password@ in the authority', () => {
    expect(redactStorageUri('s3://AKIA:secret@bucket/p')).toBe('s3://redacted@bucket/p');
    expect(redactStorageUri('s3://token@bucket/p')).toBe('s3://redacted@bucket/p');
    expect(redactStorageUri('s3://AKIA:sec/ret@bucket/p')).toBe('s3://redacted@bucket/p');
  });
  it('leaves plain paths and URIs without secrets unchanged', () => {
    for (const u of [
      '/var/backups',
      'relative/dir',
      'file:///var/backups',
      's3://b/p?AWS_REGION=x',
      'C:\\backups',
    ]) {
      expect(redactStorageUri(u)).toBe(u);
    }
  });
  it('never leaks any listed secret value', () => {
    for (const p of SECRET_STORAGE_PARAMS) {
      expect(redactStorageUri(`s3://b/p?X=1&${p}=sup3rs3cret&Y=2`)).not.toContain('sup3rs3cret');
    }
  });

  it('redacts misspelt and unknown parameters, SAS pieces, endpoint credentials and loose parameters', () => {
    expect(
      redactStorageUri(
        'azure-blob://c/p?AZURE_ACCOUNT_NAME=acct&AZURE_ACCOUNT_KEYS=k1&AZURE_SAS=sv=2020&sig=abc&CREDENTIAL=x',
      ),
    ).toBe(
      'azure-blob://c/p?AZURE_ACCOUNT_NAME=acct&AZURE_ACCOUNT_KEYS=redacted&AZURE_SAS=redacted&sig=redacted&CREDENTIAL=redacted',
    );
    expect(redactStorageUri('s3://b/p?AWS_SECRET_KEY=s&AWS_ENDPOINT=http://u:pw@minio:9000')).toBe(
      's3://b/p?AWS_SECRET_KEY=redacted&AWS_ENDPOINT=redacted',
    );
    expect(redactStorageUri('s3://b/p&AWS_SECRET_ACCESS_KEY=s3cr3t')).toBe('s3://b/p&redacted');
    expect(redactStorageUri('s3://b/p?hunter2')).toBe('s3://b/p?redacted');
  });

  it('property: no value of an unknown parameter, user info or fragment survives', () => {
    const harmless = new Set(HARMLESS_STORAGE_PARAMS);
    const name = fc
      .stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,24}$/)
      .filter((n) => !harmless.has(n.toUpperCase()));
    // Upper-case letters and digits with a digit, 12+ characters: never part of the URI around it.
    const secret = fc.stringMatching(/^[A-Z0-9+/=]{12,40}$/).filter((v) => /[0-9]/.test(v));
    fc.assert(
      fc.property(
        fc.constantFrom('s3', 'gs', 'azure-blob', 'file', 'x-store'),
        fc.array(fc.tuple(name, secret), { minLength: 1, maxLength: 5 }),
        fc.option(secret, { nil: undefined }),
        fc.option(secret, { nil: undefined }),
        fc.boolean(),
        fc.constantFrom('?', '&'),
        (scheme, params, userinfo, fragment, encode, first) => {
          const enc = (v: string) => (encode ? encodeURIComponent(v) : v);
          const authority = userinfo === undefined ? 'bucket' : `me:${userinfo}@bucket`;
          const query = params.map(([k, v]) => `${k}=${enc(v)}`).join('&');
          const uri = `${scheme}://${authority}/pre/fix${first}${query}&AWS_REGION=eu${fragment === undefined ? '' : `#${fragment}`}`;
          const out = redactStorageUri(uri);
          const secrets = [...params.map(([, v]) => v), userinfo, fragment].filter(
            (v): v is string => v !== undefined,
          );
          for (const v of secrets) {
            expect(out.includes(v), `${v} in ${out}`).toBe(false);
            expect(out.includes(encodeURIComponent(v)), `${v} in ${out}`).toBe(false);
          }
          if (first === '?') expect(out).toContain('&AWS_REGION=eu');
          expect(redactStorageUri(out)).toBe(out);
        },
      ),
      { numRuns: 500 },
    );
  });
});
