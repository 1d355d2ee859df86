import { StorageError } from '@sealstream/storage';
import { describe, expect, it } from 'vitest';
import { parseS3Uri } from './parseS3Uri.ts';

const parse = (uri: string) => parseS3Uri(new URL(uri));
const badUri = (uri: string, message: RegExp) => {
  let caught: unknown;
  try {
    parse(uri);
  } catch (e) {
    caught = e;
  }
  expect(
    caught instanceof StorageError && caught.code === 'ERR_STORAGE_BAD_URI',
    String(caught),
  ).toBe(true);
  expect((caught as Error).message).toMatch(message);
  expect((caught as Error).message).not.toMatch(/s3cr3t|AKIA1(?!.*redacted)/);
};

describe('parseS3Uri', () => {
  it('parses bucket, prefix, static keys and defaults (us-east-1, virtual-hosted style)', () => {
    expect(
      parse('s3://backups/prod/db/?AWS_ACCESS_KEY_ID=AKIA1&AWS_SECRET_ACCESS_KEY=s3cr3t'),
    ).toEqual({
      bucket: 'backups',
      prefix: 'prod/db',
      region: 'us-east-1',
      forcePathStyle: false,
      credentials: { accessKeyId: 'AKIA1', secretAccessKey: 's3cr3t' },
    });
  });
  it('takes an endpoint (path style by default), region, session token and the locality tag', () => {
    const loc = parse(
      `s3://b.with.dots?AWS_ACCESS_KEY_ID=AKIA1&AWS_SECRET_ACCESS_KEY=s3cr3t&AWS_SESSION_TOKEN=tok&AWS_REGION=eu-west-1&AWS_ENDPOINT=${encodeURIComponent('http://127.0.0.1:7480/')}&COCKROACH_LOCALITY=region%3Dwest`,
    );
    expect(loc).toMatchObject({
      bucket: 'b.with.dots',
      prefix: '',
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:7480',
      forcePathStyle: true,
    });
    expect(loc.credentials?.sessionToken).toBe('tok');
    expect(
      parse(
        's3://bkt?AUTH=implicit&AWS_ENDPOINT=https%3A%2F%2Fs3.example&AWS_USE_PATH_STYLE=false',
      ),
    ).toMatchObject({ forcePathStyle: false });
    expect(parse('s3://bkt?AUTH=implicit').credentials).toBeUndefined();
  });
  it('rejects unknown or missing parameters and bad values, without echoing secrets', () => {
    badUri(
      's3://bkt?AWS_ACCESS_KEY_ID=AKIA1&AWS_SECRET_ACCESS_KEY=s3cr3t&REGION=x',
      /unknown parameter "REGION"/,
    );
    badUri('s3://bkt?AWS_ACCESS_KEY_ID=AKIA1', /needs AWS_SECRET_ACCESS_KEY/);
    badUri('s3://bkt', /needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
    badUri(
      's3://bkt?AUTH=implicit&AWS_SECRET_ACCESS_KEY=s3cr3t',
      /AUTH=implicit takes no credential/,
    );
    badUri('s3://bkt?AUTH=maybe', /AUTH must be/);
    badUri('s3://Bad_Bucket?AUTH=implicit', /invalid bucket name/);
    badUri('s3://bkt/a//b?AUTH=implicit', /prefix/);
    badUri('s3://bkt?AUTH=implicit&AWS_ENDPOINT=not-a-url', /AWS_ENDPOINT is not a URL/);
    badUri('s3://bkt?AUTH=implicit&AWS_USE_PATH_STYLE=yes', /AWS_USE_PATH_STYLE/);
    badUri('s3://bkt?AUTH=implicit&AWS_REGION=a%20b', /invalid AWS_REGION/);
    badUri('gs://bkt?AUTH=implicit', /expected an s3/);
  });
});
