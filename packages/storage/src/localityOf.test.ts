import { describe, expect, it } from 'vitest';
import { localityOf, stripLocality } from './localityOf.ts';

describe('localityOf', () => {
  it('reads the decoded COCKROACH_LOCALITY', () => {
    expect(localityOf('s3://b/p?AWS_REGION=x&COCKROACH_LOCALITY=region%3Dwest')).toBe(
      'region=west',
    );
    expect(localityOf('azure-blob://c?COCKROACH_LOCALITY=default')).toBe('default');
    expect(localityOf('file:///x?COCKROACH_LOCALITY=zone%3Da%2Cregion%3Deu')).toBe(
      'zone=a,region=eu',
    );
  });
  it('is default when absent or empty, and for plain paths', () => {
    expect(localityOf('s3://b/p')).toBe('default');
    expect(localityOf('s3://b/p?COCKROACH_LOCALITY=')).toBe('default');
    expect(localityOf('/var/backups?COCKROACH_LOCALITY=region%3Dwest')).toBe('default');
    expect(localityOf('C:\\backups')).toBe('default');
  });
});

describe('stripLocality', () => {
  it('removes only the locality parameter, keeping order and encoding', () => {
    expect(
      stripLocality(
        's3://b/p?AWS_REGION=x&COCKROACH_LOCALITY=region%3Dwest&AWS_ENDPOINT=http%3A%2F%2Fh',
      ),
    ).toBe('s3://b/p?AWS_REGION=x&AWS_ENDPOINT=http%3A%2F%2Fh');
    expect(stripLocality('s3://b/p?COCKROACH_LOCALITY=default')).toBe('s3://b/p');
    expect(stripLocality('s3://b/p?COCKROACH_LOCALITY=a#f')).toBe('s3://b/p#f');
  });
  it('leaves URIs without it, and plain paths, unchanged', () => {
    for (const u of ['s3://b/p', 's3://b/p?AWS_REGION=x', '/tmp/x?COCKROACH_LOCALITY=a'])
      expect(stripLocality(u)).toBe(u);
  });
  it('gives one destination the same identity whatever its tag', () => {
    expect(stripLocality('gs://b/p?AUTH=implicit&COCKROACH_LOCALITY=region%3Dus')).toBe(
      stripLocality('gs://b/p?AUTH=implicit'),
    );
  });
});
