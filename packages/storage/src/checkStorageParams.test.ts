import { describe, expect, it } from 'vitest';
import { checkStorageParams } from './checkStorageParams.ts';
import { StorageError } from './StorageError.ts';

function badUri(fn: () => unknown): StorageError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(StorageError);
    expect((e as StorageError).code).toBe('ERR_STORAGE_BAD_URI');
    return e as StorageError;
  }
  throw new Error('expected ERR_STORAGE_BAD_URI');
}

describe('checkStorageParams', () => {
  it('returns the decoded parameters', () => {
    const url = new URL('s3://b/p?AWS_REGION=eu-west-1&AWS_ENDPOINT=http%3A%2F%2F127.0.0.1%3A9000');
    expect(checkStorageParams(url, ['AWS_REGION', 'AWS_ENDPOINT'])).toEqual({
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT: 'http://127.0.0.1:9000',
    });
  });
  it('always accepts COCKROACH_LOCALITY', () => {
    expect(checkStorageParams(new URL('file:///x?COCKROACH_LOCALITY=region%3Dwest'), [])).toEqual({
      COCKROACH_LOCALITY: 'region=west',
    });
  });
  it('rejects an unknown parameter, naming it and the allowed ones, without its value', () => {
    const e = badUri(() =>
      checkStorageParams(new URL('s3://b?AWS_REGON=x&AWS_SECRET_ACCESS_KEY=shh'), [
        'AWS_REGION',
        'AWS_SECRET_ACCESS_KEY',
      ]),
    );
    expect(e.message).toContain('unknown parameter "AWS_REGON"');
    expect(e.message).toContain('AWS_REGION');
    expect(e.message).toContain('COCKROACH_LOCALITY');
    expect(e.message).not.toContain('shh');
    expect(e.driver).toBe('s3');
  });
  it('rejects a missing or empty required parameter', () => {
    expect(
      badUri(() => checkStorageParams(new URL('gs://b?AUTH=specified'), ['AUTH'], ['CREDENTIALS']))
        .message,
    ).toContain('missing required parameter "CREDENTIALS"');
    badUri(() => checkStorageParams(new URL('gs://b?CREDENTIALS='), [], ['CREDENTIALS']));
  });
  it('rejects a repeated parameter', () => {
    expect(
      badUri(() => checkStorageParams(new URL('s3://b?AWS_REGION=a&AWS_REGION=b'), ['AWS_REGION']))
        .message,
    ).toContain('more than once');
  });
  it('uses the given driver name', () => {
    expect(
      badUri(() => checkStorageParams(new URL('file:///x?NOPE=1'), [], [], 'local')).driver,
    ).toBe('local');
  });
});
