import { afterEach, describe, expect, it } from 'vitest';
import { memoryStorage } from './memoryStorage.ts';
import {
  hasScheme,
  openStorage,
  registerStorageDriver,
  storageSchemes,
  unregisterStorageDriver,
} from './registry.ts';
import { StorageError } from './StorageError.ts';

async function badUri(p: Promise<unknown>): Promise<StorageError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(StorageError);
  expect((e as StorageError).code).toBe('ERR_STORAGE_BAD_URI');
  return e as StorageError;
}

describe('storage registry', () => {
  afterEach(() => {
    for (const s of storageSchemes()) unregisterStorageDriver(s);
  });

  it('opens a URI with the driver of its scheme, passing the parsed URL', async () => {
    const seen: string[] = [];
    registerStorageDriver('mem', (url) => {
      seen.push(url.href);
      return memoryStorage(url.href);
    });
    const storage = await openStorage('mem://bucket/prefix?COCKROACH_LOCALITY=default');
    expect(storage.driver).toBe('memory');
    expect(seen).toEqual(['mem://bucket/prefix?COCKROACH_LOCALITY=default']);
  });

  it('matches schemes case-insensitively and accepts a trailing colon when registering', async () => {
    registerStorageDriver('Mem:', () => memoryStorage());
    expect(storageSchemes()).toEqual(['mem']);
    expect((await openStorage('MEM://x')).driver).toBe('memory');
  });

  it('awaits async factories and passes their errors through', async () => {
    registerStorageDriver('slow', async () => memoryStorage());
    expect((await openStorage('slow://x')).driver).toBe('memory');
    registerStorageDriver('broken', () => {
      throw new StorageError('ERR_STORAGE_BAD_URI', 'unknown parameter "X"', {
        driver: 'broken',
        uri: 'broken://x',
      });
    });
    expect((await badUri(openStorage('broken://x?X=1'))).driver).toBe('broken');
  });

  it('rejects an unknown scheme, listing the known ones, without secrets', async () => {
    registerStorageDriver('s3', () => memoryStorage());
    registerStorageDriver('gs', () => memoryStorage());
    const e = await badUri(openStorage('nodelocal://1/x?AWS_SECRET_ACCESS_KEY=hush'));
    expect(e.message).toContain('no storage driver for scheme "nodelocal:"');
    expect(e.message).toContain('known: gs:, s3:');
    expect(e.message).not.toContain('hush');
    expect(e.uri).toBe('nodelocal://1/x?AWS_SECRET_ACCESS_KEY=redacted');
  });

  it('sends plain paths to the driver registered with fromPath', async () => {
    const seen: string[] = [];
    registerStorageDriver(
      'file',
      (url) => {
        seen.push(url.href);
        return memoryStorage();
      },
      {
        fromPath: (p) => new URL(`file://${p.startsWith('/') ? '' : '/cwd/'}${p}`),
      },
    );
    await openStorage('/var/backups');
    await openStorage('rel/dir');
    expect(seen).toEqual(['file:///var/backups', 'file:///cwd/rel/dir']);
  });

  it('treats a drive letter as a path, not a scheme', () => {
    expect(hasScheme('C:\\backups')).toBe(false);
    expect(hasScheme('c:/backups')).toBe(false);
    expect(hasScheme('s3://b')).toBe(true);
    expect(hasScheme('/abs/path')).toBe(false);
  });

  it('explains that plain paths need the file driver when none is registered', async () => {
    expect((await badUri(openStorage('/var/backups'))).message).toContain('registerLocalStorage()');
    registerStorageDriver('file', () => memoryStorage()); // without fromPath
    expect((await badUri(openStorage('/var/backups'))).message).toContain(
      'plain paths need the file driver',
    );
  });

  it('rejects empty and unparsable URIs', async () => {
    await badUri(openStorage(''));
    registerStorageDriver('s3', () => memoryStorage());
    const e = await badUri(openStorage('s3://[bad'));
    expect(e.message).toContain('not a valid URI');
  });

  it('guards registration', () => {
    expect(() => registerStorageDriver('', () => memoryStorage())).toThrow(TypeError);
    expect(() => registerStorageDriver('a b', () => memoryStorage())).toThrow(/invalid scheme/);
    expect(() => registerStorageDriver('ok', 'nope' as never)).toThrow(
      /factory must be a function/,
    );
    expect(unregisterStorageDriver('never-registered')).toBe(false);
  });
});
