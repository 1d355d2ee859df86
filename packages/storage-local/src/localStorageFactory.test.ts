import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  openStorage,
  readObject,
  StorageError,
  unregisterStorageDriver,
  writeObject,
} from '@sealstream/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fsStorageError } from './fsStorageError.ts';
import { localStorageFactory } from './localStorageFactory.ts';
import { registerLocalStorage } from './registerLocalStorage.ts';

const enc = new TextEncoder();
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sealstream local uri-'));
});
afterAll(async () => {
  unregisterStorageDriver('file');
  await rm(root, { recursive: true, force: true });
});

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

describe('localStorageFactory', () => {
  it('opens file:///abs/path (percent-decoded), with or without localhost and locality', async () => {
    const url = pathToFileURL(root); // the root has a space: %20 in the URI
    expect(url.href).toContain('%20');
    await writeObject(localStorageFactory(url), 'x', enc.encode('1'));
    expect(await readFile(join(root, 'x'), 'utf8')).toBe('1');
    const viaLocalhost = localStorageFactory(
      new URL(`file://localhost${url.pathname}?COCKROACH_LOCALITY=region%3Dwest`),
    );
    expect(new TextDecoder().decode(await readObject(viaLocalhost, 'x'))).toBe('1');
    expect(viaLocalhost.redactedUri).toBe(
      `file://${url.pathname}?COCKROACH_LOCALITY=region%3Dwest`,
    );
    expect(viaLocalhost.driver).toBe('local');
  });
  it('rejects remote hosts, other schemes and unknown parameters', () => {
    expect(badUri(() => localStorageFactory(new URL('file://server/share'))).message).toContain(
      'remote hosts are not supported',
    );
    expect(badUri(() => localStorageFactory(new URL('s3://b/p'))).message).toContain(
      'expected a file: URI',
    );
    const e = badUri(() => localStorageFactory(new URL('file:///tmp/x?AWS_SECRET_ACCESS_KEY=zzz')));
    expect(e.message).toContain('unknown parameter "AWS_SECRET_ACCESS_KEY"');
    expect(e.message).not.toContain('zzz');
  });
});

describe('registerLocalStorage', () => {
  it('makes openStorage handle file: URIs, absolute and relative plain paths', async () => {
    registerLocalStorage();
    registerLocalStorage(); // idempotent
    const viaUri = await openStorage(`${pathToFileURL(root).href}?COCKROACH_LOCALITY=default`);
    await writeObject(viaUri, 'dir/obj', enc.encode('hello'));
    const viaPath = await openStorage(root);
    expect(new TextDecoder().decode(await readObject(viaPath, 'dir/obj'))).toBe('hello');
    const rel = relative(process.cwd(), join(root, 'dir'));
    expect(rel.startsWith('/')).toBe(false);
    expect((await (await openStorage(rel)).stat('obj'))?.size).toBe(5);
  });
});

describe('fsStorageError', () => {
  const err = (code: string) => Object.assign(new Error(`${code}: boom /secret/path`), { code });
  it.each([
    ['ENOENT', false, 'ERR_STORAGE_NOT_FOUND'],
    ['ENOTDIR', false, 'ERR_STORAGE_NOT_FOUND'],
    ['EISDIR', false, 'ERR_STORAGE_NOT_FOUND'],
    ['ENOENT', true, 'ERR_STORAGE_IO'],
    ['EEXIST', false, 'ERR_STORAGE_EXISTS'],
    ['EEXIST', true, 'ERR_STORAGE_IO'],
    ['EACCES', false, 'ERR_STORAGE_ACCESS_DENIED'],
    ['EPERM', true, 'ERR_STORAGE_ACCESS_DENIED'],
    ['EROFS', true, 'ERR_STORAGE_ACCESS_DENIED'],
    ['EMFILE', false, 'ERR_STORAGE_UNAVAILABLE'],
    ['ENOSPC', true, 'ERR_STORAGE_IO'],
    ['EIO', false, 'ERR_STORAGE_IO'],
  ])('%s (writing: %s) → %s', (errno, writing, code) => {
    const cause = err(errno);
    const e = fsStorageError(cause, '/backups', 'k', 'op', writing);
    expect(e.code).toBe(code);
    expect(e.driver).toBe('local');
    expect(e.key).toBe('k');
    expect(e.cause).toBe(cause);
    expect(e.message).toMatch(/^local storage \/backups key "k": op/);
  });
  it('passes StorageErrors through and maps errors without errno to ERR_STORAGE_IO', () => {
    const s = new StorageError('ERR_STORAGE_EXISTS', 'x', { driver: 'local', uri: '/', key: 'k' });
    expect(fsStorageError(s, '/', 'k', 'op')).toBe(s);
    expect(fsStorageError(new Error('?'), '/', undefined, 'op').code).toBe('ERR_STORAGE_IO');
  });
});
