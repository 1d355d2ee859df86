import { SealstreamError } from '@sealstream/streams';
import { describe, expect, it } from 'vitest';
import { STORAGE_ERROR_CODES, StorageError } from './StorageError.ts';

describe('StorageError', () => {
  it('is a SealstreamError carrying code, driver, redacted URI, key and cause', () => {
    const cause = new Error('ECONNRESET');
    const e = new StorageError('ERR_STORAGE_UNAVAILABLE', 'upload failed after 5 attempts', {
      driver: 's3',
      uri: 's3://b/p?AWS_SECRET_ACCESS_KEY=topsecret',
      key: 'data/1.sst',
      cause,
    });
    expect(e).toBeInstanceOf(SealstreamError);
    expect(e).toBeInstanceOf(StorageError);
    expect(e.name).toBe('StorageError');
    expect(e.code).toBe('ERR_STORAGE_UNAVAILABLE');
    expect(e.driver).toBe('s3');
    expect(e.key).toBe('data/1.sst');
    expect(e.uri).toBe('s3://b/p?AWS_SECRET_ACCESS_KEY=redacted');
    expect(e.cause).toBe(cause);
    expect(e.message).toBe(
      's3 storage s3://b/p?AWS_SECRET_ACCESS_KEY=redacted key "data/1.sst": upload failed after 5 attempts',
    );
    expect(JSON.stringify({ m: e.message, u: e.uri })).not.toContain('topsecret');
  });
  it('works without key and cause', () => {
    const e = new StorageError('ERR_STORAGE_BAD_URI', 'bad', { driver: 'registry', uri: 'x://y' });
    expect(e.key).toBeUndefined();
    expect(e.cause).toBeUndefined();
    expect(e.message).toBe('registry storage x://y: bad');
  });
  it('lists the seven documented codes', () => {
    expect([...STORAGE_ERROR_CODES].sort()).toEqual([
      'ERR_STORAGE_ACCESS_DENIED',
      'ERR_STORAGE_BAD_URI',
      'ERR_STORAGE_EXISTS',
      'ERR_STORAGE_IO',
      'ERR_STORAGE_NOT_FOUND',
      'ERR_STORAGE_TOO_LARGE',
      'ERR_STORAGE_UNAVAILABLE',
    ]);
  });
});
