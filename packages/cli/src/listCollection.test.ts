import { memoryStorage, type Storage, StorageError } from '@sealstream/storage';
import { describe, expect, it } from 'vitest';
import { listCollection } from './listCollection.ts';

/** An object store whose bucket is missing: listing fails as the cloud drivers do. */
function missingBucket(): Storage {
  const uri = 's3://no-such-bucket/backups?AWS_SECRET_ACCESS_KEY=hunter2';
  return {
    ...memoryStorage(),
    driver: 's3',
    redactedUri: 's3://no-such-bucket/backups?AWS_SECRET_ACCESS_KEY=redacted',
    // biome-ignore lint/correctness/useYield: it fails before yielding, like a missing bucket
    async *list() {
      throw new StorageError('ERR_STORAGE_NOT_FOUND', 'list: the bucket does not exist', {
        driver: 's3',
        uri,
      });
    },
  };
}

describe('listCollection', () => {
  it('a missing bucket is ERR_BACKUP_NOT_FOUND naming the redacted URI, with the cause', async () => {
    const storage = missingBucket();
    const error = await listCollection(new Map([['default', storage]]), 's3://x').catch((e) => e);
    expect(error).toMatchObject({ code: 'ERR_BACKUP_NOT_FOUND' });
    expect(error.message).toMatch(
      /^no collection at s3:\/\/no-such-bucket\/backups\?AWS_SECRET_ACCESS_KEY=redacted: .*the bucket does not exist/,
    );
    expect(error.message).not.toContain('hunter2');
    expect(error.cause).toMatchObject({ code: 'ERR_STORAGE_NOT_FOUND' });
  });

  it('an object store prefix holding nothing is an empty collection', async () => {
    expect(await listCollection(new Map([['default', memoryStorage()]]), 'mem://x')).toEqual([]);
  });
});
