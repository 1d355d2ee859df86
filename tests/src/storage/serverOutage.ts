import { readObject, type Storage, writeObject } from '@sealstream/storage';
import { isStorageError, testBytes } from '@sealstream/storage/testing';
import { expect, it } from 'vitest';

const MiB = 1024 * 1024;

/** What {@link serverOutageTests} needs: a storage with few, short retries and a server it can stop. */
export interface OutageTarget {
  /** A storage on the server, configured with a small retry budget so the failure surfaces fast. */
  storage: () => Storage;
  /** Stops the server (as abruptly as it can while keeping the data it already committed). */
  stop: () => Promise<void>;
  /** Starts it again on the same address and data. */
  start: () => Promise<void>;
  /** Bytes to send before the server dies: more than one upload part/block, so parts are in flight. */
  before?: number;
}

/**
 * Registers the "server dies in the middle of an upload" test: the upload fails with a typed
 * `ERR_STORAGE_UNAVAILABLE` (or `ERR_STORAGE_IO`) error, nothing is visible after a restart, an
 * earlier object is intact, and a retry succeeds.
 */
export function serverOutageTests(name: string, target: () => OutageTarget): void {
  it(`${name}: server stopped mid-upload → typed error, nothing visible, retry after restart succeeds`, {
    timeout: 180_000,
  }, async () => {
    const t = target();
    const t0 = Date.now();
    const log = (m: string) =>
      console.log(`[outage ${name}] ${((Date.now() - t0) / 1000).toFixed(1)}s ${m}`);
    const storage = t.storage();
    const base = `outage-${Date.now().toString(36)}/`;
    const earlier = testBytes(100_000, 1);
    await writeObject(storage, `${base}earlier`, earlier);

    const key = `${base}big`;
    const data = testBytes((t.before ?? 12 * MiB) + 3 * MiB, 2);
    const writer = (await storage.write(key, { size: data.byteLength })).getWriter();
    const first = t.before ?? 12 * MiB;
    let error: unknown;
    let stopped = false;
    try {
      for (let at = 0; at < data.byteLength; at += 256 * 1024) {
        if (!stopped && at >= first) {
          await t.stop();
          stopped = true;
        }
        await writer.write(data.subarray(at, at + 256 * 1024));
      }
      await writer.close();
    } catch (e) {
      error = e;
    }
    if (!stopped) await t.stop();
    expect(error, 'the upload must fail when the server dies').toBeDefined();
    expect(
      isStorageError('ERR_STORAGE_UNAVAILABLE')(error) || isStorageError('ERR_STORAGE_IO')(error),
      `typed storage error expected, got: ${String(error)}`,
    ).toBe(true);
    const e = error as Error & { driver?: string };
    expect(e.driver).toBe(storage.driver);
    expect(e.message).not.toMatch(/(SECRET|ACCOUNT_KEY|CREDENTIALS)[^=]*=(?!redacted)[^&\s]+/);

    log(`server stopped; error: ${String(error)}`);
    await t.start();
    log('server restarted');
    expect(await storage.stat(key), 'a failed upload leaves no visible object').toBeUndefined();
    const keys: string[] = [];
    for await (const info of storage.list(base)) keys.push(info.key);
    expect(keys).toEqual([`${base}earlier`]);
    expect(await readObject(storage, `${base}earlier`)).toEqual(earlier);

    await writeObject(storage, key, data);
    expect((await storage.stat(key))?.size).toBe(data.byteLength);
    const back = await readObject(storage, key);
    expect(back.byteLength).toBe(data.byteLength);
    expect(Buffer.compare(back, data), 'read back the retried upload byte for byte').toBe(0);
    await expect(readObject(storage, `${base}missing`)).rejects.toSatisfy(
      isStorageError('ERR_STORAGE_NOT_FOUND'),
    );
  });
}
