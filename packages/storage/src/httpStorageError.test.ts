import { describe, expect, it } from 'vitest';
import { emptyRead } from './emptyRead.ts';
import { httpStorageError } from './httpStorageError.ts';
import { memoryStorage } from './memoryStorage.ts';
import { writeObject } from './writeObject.ts';

const base = { driver: 'x', uri: 'x://b/p', key: 'k', op: 'read' };

describe('httpStorageError', () => {
  it.each([
    [{ status: 404 }, 'ERR_STORAGE_NOT_FOUND', 'read failed: not found (HTTP 404)'],
    [{ status: 412 }, 'ERR_STORAGE_EXISTS', 'read failed: the object already exists (HTTP 412)'],
    [{ status: 403 }, 'ERR_STORAGE_ACCESS_DENIED', 'read was denied (HTTP 403)'],
    [
      { status: 429 },
      'ERR_STORAGE_UNAVAILABLE',
      'read failed: the service is unavailable (HTTP 429)',
    ],
    [
      { status: 503 },
      'ERR_STORAGE_UNAVAILABLE',
      'read failed: the service is unavailable (HTTP 503)',
    ],
    [
      { errno: 'ECONNRESET', detail: ['ECONNRESET'] },
      'ERR_STORAGE_UNAVAILABLE',
      'read failed: the service is unavailable (ECONNRESET)',
    ],
    [
      { status: 400, detail: ['InvalidArgument'] },
      'ERR_STORAGE_IO',
      'read failed (HTTP 400 InvalidArgument)',
    ],
    [{ status: 503, aborted: true }, 'ERR_STORAGE_IO', 'read was aborted (HTTP 503)'],
    [
      { notFound: 'failed: the bucket does not exist' },
      'ERR_STORAGE_NOT_FOUND',
      'read failed: the bucket does not exist',
    ],
    [
      { status: 409, exists: true },
      'ERR_STORAGE_EXISTS',
      'read failed: the object already exists (HTTP 409)',
    ],
    [
      { unavailable: true, detail: ['SlowDown', undefined] },
      'ERR_STORAGE_UNAVAILABLE',
      'read failed: the service is unavailable (SlowDown)',
    ],
  ] as const)('%o → %s', (failure, code, message) => {
    const cause = new Error('sdk text with https://secret.example/');
    const e = httpStorageError({ ...base, ...failure }, cause);
    expect(e.code).toBe(code);
    expect(e.message).toContain(message);
    expect(e.message).not.toContain('secret.example');
    expect(e.cause).toBe(cause);
  });
});

describe('emptyRead', () => {
  it('is empty for an object that exists, and not found otherwise', async () => {
    const s = memoryStorage();
    await writeObject(s, 'there', new Uint8Array([1]));
    const reader = (await emptyRead(s, 'there', 'memory:')).getReader();
    expect((await reader.read()).done).toBe(true);
    await expect(emptyRead(s, 'missing', 'memory:')).rejects.toMatchObject({
      code: 'ERR_STORAGE_NOT_FOUND',
      key: 'missing',
    });
  });
});
