import { describe, expect, it } from 'vitest';
import { compareKeys } from './compareKeys.ts';
import { type DriverCall, DriverStorage, type StorageDriver } from './DriverStorage.ts';
import { positiveInt } from './positiveInt.ts';
import type { ObjectInfo } from './Storage.ts';
import { storageConformance } from './testing/storageConformance.ts';
import { uploadSink } from './uploadSink.ts';
import { writeObject } from './writeObject.ts';

/** The failure shape of the fake SDK below: an HTTP status and an error name. */
const sdkError = (status: number, name: string) =>
  Object.assign(new Error(`${name} at https://bucket.example/secret-path`), { status, name });

/**
 * An object store as an SDK sees it: full object names, HTTP statuses for failures, a 416 for a
 * range that starts at or past the end, downloads in 64 KiB chunks, listings in pages of 2 and no
 * key checks at all.
 */
function fakeSdk(options: { bucketMissing?: boolean } = {}) {
  const objects = new Map<string, { data: Uint8Array; mtime: number }>();
  const calls: string[] = [];
  const bucket = () => {
    if (options.bucketMissing) throw sdkError(404, 'NoSuchBucket');
  };
  const driver: StorageDriver = {
    name: 'fake',
    uri: 'fake://bucket/root/p?FAKE_SECRET=hunter2',
    prefix: 'root/p',
    capabilities: { atomicCreate: true },
    describeError(error) {
      const e = error as { status?: number; name?: string };
      return {
        status: e.status,
        notFound: e.name === 'NoSuchBucket' ? 'failed: the bucket does not exist' : false,
        detail: [e.name],
      };
    },
    async write(name, writeOptions, call: DriverCall) {
      calls.push(`write ${name}`);
      return uploadSink(
        async (body) => {
          bucket();
          const data = new Uint8Array(await new Response(body).arrayBuffer());
          if (writeOptions.ifAbsent && objects.has(name)) throw sdkError(412, 'PreconditionFailed');
          objects.set(name, { data, mtime: Date.now() });
        },
        call.fail,
        writeOptions.signal,
      );
    },
    async read(name, start, end) {
      calls.push(`read ${name} ${start}-${end ?? ''}`);
      bucket();
      const object = objects.get(name);
      if (!object) throw sdkError(404, 'NoSuchKey');
      if (start >= object.data.byteLength) throw sdkError(416, 'InvalidRange');
      const data = object.data.slice(start, end);
      let at = 0;
      return new ReadableStream<Uint8Array>({
        pull(c) {
          if (at >= data.byteLength) return c.close();
          c.enqueue(data.slice(at, at + 65_536));
          at += 65_536;
        },
      });
    },
    async stat(name) {
      calls.push(`stat ${name}`);
      bucket();
      const object = objects.get(name);
      if (!object) throw sdkError(404, 'NotFound');
      return { size: object.data.byteLength, mtime: object.mtime };
    },
    async *list(prefix) {
      calls.push(`list ${prefix}`);
      bucket();
      const names = [...objects.keys()].filter((n) => n.startsWith(prefix)).sort(compareKeys);
      for (let at = 0; at < names.length; at += 2) {
        const page: ObjectInfo[] = names.slice(at, at + 2).map((key) => ({
          key,
          size: objects.get(key)?.data.byteLength ?? 0,
        }));
        yield* page;
      }
    },
    async delete(name) {
      calls.push(`delete ${name}`);
      bucket();
      objects.delete(name);
    },
  };
  return { driver, objects, calls };
}

storageConformance('DriverStorage over a fake SDK', async () => ({
  storage: new DriverStorage(fakeSdk().driver),
}));

describe('DriverStorage', () => {
  it('describes itself from the driver, with the URI redacted', () => {
    const storage = new DriverStorage(fakeSdk().driver);
    expect(storage.driver).toBe('fake');
    expect(storage.redactedUri).toBe('fake://bucket/root/p?FAKE_SECRET=redacted');
    expect(storage.capabilities).toEqual({ atomicCreate: true });
  });

  it('gives the driver full names under the root prefix and the caller keys without it', async () => {
    const { driver, objects, calls } = fakeSdk();
    const storage = new DriverStorage(driver);
    await writeObject(storage, 'a/b', new Uint8Array([1, 2, 3]));
    expect([...objects.keys()]).toEqual(['root/p/a/b']);
    expect(await storage.stat('a/b')).toMatchObject({ key: 'a/b', size: 3 });
    const listed: string[] = [];
    for await (const info of storage.list('')) listed.push(info.key);
    expect(listed).toEqual(['a/b']);
    expect(calls).toContain('list root/p/');
  });

  it('answers an empty range without asking the driver to read, and a 416 as an empty read', async () => {
    const { driver, calls } = fakeSdk();
    const storage = new DriverStorage(driver);
    await writeObject(storage, 'k', new Uint8Array(10));
    const bytes = async (range: { start: number; end?: number }) =>
      (await new Response(await storage.read('k', range)).arrayBuffer()).byteLength;
    expect(await bytes({ start: 4, end: 4 })).toBe(0);
    expect(calls.filter((c) => c.startsWith('read'))).toEqual([]);
    expect(await bytes({ start: 10 })).toBe(0);
    expect(await bytes({ start: 8, end: 100 })).toBe(2);
    await expect(storage.read('missing', { start: 3, end: 3 })).rejects.toMatchObject({
      code: 'ERR_STORAGE_NOT_FOUND',
    });
  });

  it('maps every failure once: operation, key, redacted URI, the SDK error as the cause', async () => {
    const storage = new DriverStorage(fakeSdk().driver);
    const error = await storage.read('nope').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_STORAGE_NOT_FOUND', driver: 'fake', key: 'nope' });
    expect((error as Error).message).toBe(
      'fake storage fake://bucket/root/p?FAKE_SECRET=redacted key "nope": read failed: not found (HTTP 404 NoSuchKey)',
    );
    expect((error as Error).cause).toMatchObject({ status: 404, name: 'NoSuchKey' });
    await writeObject(storage, 'once', new Uint8Array(1), { ifAbsent: true });
    await expect(
      writeObject(storage, 'once', new Uint8Array(1), { ifAbsent: true }),
    ).rejects.toMatchObject({ code: 'ERR_STORAGE_EXISTS', key: 'once' });
  });

  it('stat: a missing object is undefined, a missing bucket an error', async () => {
    expect(await new DriverStorage(fakeSdk().driver).stat('nope')).toBeUndefined();
    const storage = new DriverStorage(fakeSdk({ bucketMissing: true }).driver);
    const error = await storage.stat('nope').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_STORAGE_NOT_FOUND' });
    expect((error as Error).message).toContain('stat failed: the bucket does not exist');
    await expect(storage.delete('x')).rejects.toThrow(/delete failed: the bucket does not exist/);
    const listing = (async () => {
      for await (const _ of storage.list('a/')) break;
    })();
    await expect(listing).rejects.toThrow(/list "a\/" failed: the bucket does not exist/);
  });

  it('ends the driver listing when the caller stops early', async () => {
    const { driver } = fakeSdk();
    let ended = false;
    const storage = new DriverStorage({
      ...driver,
      async *list(prefix) {
        try {
          yield* driver.list(prefix);
        } finally {
          ended = true;
        }
      },
    });
    for (const k of ['a', 'b', 'c']) await writeObject(storage, k, new Uint8Array(1));
    for await (const info of storage.list('')) {
      expect(info.key).toBe('a');
      break;
    }
    expect(ended).toBe(true);
  });

  it('checks keys, prefixes and ranges before calling the driver', async () => {
    const { driver, calls } = fakeSdk();
    const storage = new DriverStorage(driver);
    await expect(storage.write('../x')).rejects.toThrow(TypeError);
    await expect(storage.read('a//b')).rejects.toThrow(TypeError);
    await expect(storage.read('a', { start: 2, end: 1 })).rejects.toThrow(RangeError);
    await expect(storage.stat('/abs')).rejects.toThrow(TypeError);
    await expect(storage.delete('')).rejects.toThrow(TypeError);
    await expect(storage.list('../')[Symbol.asyncIterator]().next()).rejects.toThrow(TypeError);
    expect(calls).toEqual([]);
  });
});

describe('positiveInt', () => {
  it('returns a positive safe integer and names the driver and option otherwise', () => {
    expect(positiveInt('XyzStorage', 'maxAttempts', 4)).toBe(4);
    for (const bad of [0, -1, 1.5, Number.NaN, 2 ** 53])
      expect(() => positiveInt('XyzStorage', 'partSize', bad)).toThrow(
        `Invalid XyzStorage option: partSize must be a positive integer, received ${bad}`,
      );
  });
});
