import { StorageError } from '@sealstream/storage';
import { describe, expect, it } from 'vitest';
import { parseGcsUri } from './parseGcsUri.ts';

const parse = (uri: string) => parseGcsUri(new URL(uri));
const key = btoa(
  JSON.stringify({
    type: 'service_account',
    project_id: 'proj',
    client_email: 'a@b',
    private_key: 's3cr3t',
  }),
);
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
  expect((caught as Error).message).not.toContain(key);
};

describe('parseGcsUri', () => {
  it('parses bucket, prefix and a base64 service-account key (AUTH=specified)', () => {
    const loc = parse(`gs://backups/prod/db?AUTH=specified&CREDENTIALS=${encodeURIComponent(key)}`);
    expect(loc).toMatchObject({
      bucket: 'backups',
      prefix: 'prod/db',
      auth: { kind: 'specified' },
    });
    expect(loc.auth.kind === 'specified' && loc.auth.credentials.project_id).toBe('proj');
  });
  it('takes implicit auth, an emulator endpoint with AUTH=none, a project and the locality tag', () => {
    expect(
      parse('gs://backups?AUTH=implicit&GCS_PROJECT=p1&COCKROACH_LOCALITY=region%3Dwest'),
    ).toEqual({
      bucket: 'backups',
      prefix: '',
      projectId: 'p1',
      auth: { kind: 'implicit' },
    });
    expect(
      parse(`gs://b-1/x?AUTH=none&GCS_ENDPOINT=${encodeURIComponent('http://127.0.0.1:9199/')}`),
    ).toMatchObject({
      endpoint: 'http://127.0.0.1:9199',
      auth: { kind: 'none' },
    });
  });
  it('rejects unknown or missing parameters and bad values, without echoing the key', () => {
    badUri(
      `gs://backups?CREDENTIALS=${encodeURIComponent(key)}&BUCKET=x`,
      /unknown parameter "BUCKET"/,
    );
    badUri('gs://backups', /AUTH=specified needs CREDENTIALS/);
    badUri('gs://backups?CREDENTIALS=%25%25%25', /not base64-encoded JSON/);
    badUri(
      `gs://backups?AUTH=implicit&CREDENTIALS=${encodeURIComponent(key)}`,
      /takes no CREDENTIALS/,
    );
    badUri('gs://backups?AUTH=none', /needs GCS_ENDPOINT/);
    badUri(
      `gs://backups?AUTH=none&GCS_ENDPOINT=${encodeURIComponent('http://127.0.0.1:9199/storage/v1')}`,
      /must not end with \/storage\/v1/,
    );
    badUri('gs:///projects/p/locations/l/keyRings/r/cryptoKeys/k?AUTH=implicit', /missing bucket/);
    badUri('gs://backups?AUTH=sometimes', /AUTH must be/);
    badUri('s3://backups?AUTH=implicit', /expected a gs/);
  });
});
