import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readObject } from '../readObject.ts';
import type { Storage, StorageCapabilities } from '../Storage.ts';
import { writeObject } from '../writeObject.ts';
import {
  bytesDiff,
  isStorageError,
  sink,
  source,
  streamOf,
  testBytes,
} from './conformanceHelpers.ts';

/** What {@link storageConformance} needs from a driver's test file. */
export type MakeStorage = () => Promise<{ storage: Storage; cleanup?: () => Promise<void> }>;

/** Options of {@link storageConformance}. */
export interface StorageConformanceOptions {
  /** Driver-specific tests, registered inside the suite's `describe`. */
  additionalTests?: () => void;
  /**
   * Run the listing check over more than 1000 keys (the page size of S3, GCS and Azure). Off by
   * default because it writes 1001 objects; the suite says so loudly when it is off. Also enabled
   * by the environment variable `SEALSTREAM_CONFORMANCE_LIST_PAGING=1`.
   */
  listPaging?: boolean;
  /**
   * The capabilities the driver is expected to declare, known before `make` runs. When given, a
   * capability the backend lacks also gets its own test titled with the reason (asserting the
   * driver declares exactly these capabilities), besides the warning printed at run time.
   */
  capabilities?: StorageCapabilities;
}

const MiB = 1024 * 1024;
const enc = new TextEncoder();

function envFlag(name: string): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env;
  return env?.[name] === '1' || env?.[name] === 'true';
}

/**
 * The shared conformance suite every {@link Storage} driver runs against a real backend. It
 * registers one `describe` block; `make` is called once (in `beforeAll`) and every check works in
 * its own key namespace under the storage's root.
 *
 * Checks a backend cannot run (see `capabilities`) print their reason with `console.warn` and
 * register a test that documents it; nothing is skipped silently.
 *
 * @param name shown in the suite's title, e.g. `local` or `s3 (radosgw)`
 * @param make opens a fresh, empty storage; `cleanup` runs after the suite
 * @param options driver-specific tests and optional checks
 *
 * @example
 * ```ts
 * import { memoryStorage } from '@sealstream/storage';
 * import { storageConformance } from '@sealstream/storage/testing';
 *
 * // A driver whose storage needs tearing down returns `cleanup` beside it.
 * storageConformance('memory', async () => ({ storage: memoryStorage() }));
 * ```
 */
export function storageConformance(
  name: string,
  make: MakeStorage,
  options: StorageConformanceOptions = {},
): void {
  describe(`storage conformance: ${name}`, () => {
    let storage: Storage;
    let cleanup: (() => Promise<void>) | undefined;
    const run = `conf-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    let n = 0;
    /** A fresh namespace (key prefix ending in `/`) for one check. */
    const ns = (label: string) => `${run}/${String(n++).padStart(3, '0')}-${label}/`;

    beforeAll(async () => {
      const made = await make();
      storage = made.storage;
      cleanup = made.cleanup;
    });
    afterAll(async () => {
      await storage?.close?.();
      await cleanup?.();
    });

    async function keysUnder(prefix: string): Promise<string[]> {
      const keys: string[] = [];
      for await (const info of storage.list(prefix)) keys.push(info.key);
      return keys;
    }

    it('describes itself: driver name, redacted URI, capabilities', () => {
      expect(typeof storage.driver).toBe('string');
      expect(storage.driver.length).toBeGreaterThan(0);
      expect(typeof storage.redactedUri).toBe('string');
      expect([true, false, 'single-put']).toContain(storage.capabilities.atomicCreate);
      if (storage.capabilities.atomicCreate !== true) {
        expect(
          storage.capabilities.reasons?.atomicCreate,
          'a missing capability must say why',
        ).toMatch(/\S/);
      }
    });

    describe('write and read back', () => {
      for (const size of [0, 1, 1000]) {
        it(`round-trips ${size} byte(s)`, async () => {
          const key = `${ns('rt')}obj-${size}`;
          const data = testBytes(size, size + 1);
          await writeObject(storage, key, data);
          expect(bytesDiff(await readObject(storage, key), data)).toBe('');
          const info = await storage.stat(key);
          expect(info?.size).toBe(size);
          expect(info?.key).toBe(key);
        });
      }

      it('round-trips 5 MiB + 1 streamed in random chunk sizes', async () => {
        const key = `${ns('big')}five-mib-plus-one`;
        const data = testBytes(5 * MiB + 1, 7);
        await streamOf(data, { minChunk: 1, maxChunk: 300_000, seed: 11 }).pipeTo(
          await storage.write(key, { size: data.byteLength }),
        );
        const back = await readObject(storage, key);
        expect(back.byteLength).toBe(data.byteLength);
        expect(bytesDiff(back, data)).toBe('');
        expect((await storage.stat(key))?.size).toBe(data.byteLength);
      });

      it('streams large reads in more than one chunk and can be cancelled early', async () => {
        const key = `${ns('cancel')}obj`;
        await writeObject(storage, key, testBytes(3 * MiB, 3));
        const reader = (await storage.read(key)).getReader();
        const first = await reader.read();
        expect(first.done).toBe(false);
        expect(first.value?.byteLength ?? 0).toBeLessThan(3 * MiB);
        await reader.cancel();
      });

      it('overwrites an existing key without ifAbsent', async () => {
        const key = `${ns('over')}obj`;
        await writeObject(storage, key, enc.encode('first version, longer'));
        await writeObject(storage, key, enc.encode('second'));
        expect(new TextDecoder().decode(await readObject(storage, key))).toBe('second');
        expect((await storage.stat(key))?.size).toBe(6);
      });

      it('keeps keys with unicode, spaces and dots', async () => {
        const key = `${ns('names')}dir.with.dots/naïve file – ü 名字.bin`;
        await writeObject(storage, key, enc.encode('x'));
        expect(bytesDiff(await readObject(storage, key), enc.encode('x'))).toBe('');
        expect(await keysUnder(key.slice(0, key.lastIndexOf('/') + 1))).toEqual([key]);
      });
    });

    describe('ranged reads', () => {
      const data = testBytes(200_000, 5);
      let key: string;
      beforeAll(async () => {
        key = `${ns('range')}obj`;
        await writeObject(storage, key, data);
      });
      it('start only', async () => {
        expect(
          bytesDiff(await readObject(storage, key, { start: 123_456 }), data.subarray(123_456)),
        ).toBe('');
      });
      it('start and end (half-open)', async () => {
        expect(
          bytesDiff(
            await readObject(storage, key, { start: 10, end: 70_010 }),
            data.subarray(10, 70_010),
          ),
        ).toBe('');
        expect(
          bytesDiff(await readObject(storage, key, { start: 0, end: 1 }), data.subarray(0, 1)),
        ).toBe('');
      });
      it('end past the size is clamped', async () => {
        expect(
          bytesDiff(
            await readObject(storage, key, { start: 199_990, end: 10_000_000 }),
            data.subarray(199_990),
          ),
        ).toBe('');
      });
      it('empty ranges give empty streams', async () => {
        expect((await readObject(storage, key, { start: 500, end: 500 })).byteLength).toBe(0);
        expect((await readObject(storage, key, { start: 200_000 })).byteLength).toBe(0);
        expect((await readObject(storage, key, { start: 300_000, end: 400_000 })).byteLength).toBe(
          0,
        );
      });
      it('a range of an empty object is empty', async () => {
        const empty = `${ns('range-empty')}obj`;
        await writeObject(storage, empty, new Uint8Array(0));
        expect((await readObject(storage, empty, { start: 0, end: 10 })).byteLength).toBe(0);
      });
      it('rejects invalid ranges', async () => {
        await expect(storage.read(key, { start: -1 })).rejects.toThrow(RangeError);
        await expect(storage.read(key, { start: 5, end: 4 })).rejects.toThrow(RangeError);
        await expect(storage.read(key, { start: 1.5 })).rejects.toThrow(RangeError);
      });
    });

    describe('stat', () => {
      it('gives the size and key of an object, and a plausible mtime when known', async () => {
        const key = `${ns('stat')}obj`;
        const before = Date.now();
        await writeObject(storage, key, testBytes(4321, 1));
        const info = await storage.stat(key);
        expect(info).toBeDefined();
        expect(info?.key).toBe(key);
        expect(info?.size).toBe(4321);
        if (info?.mtime !== undefined) {
          expect(info.mtime).toBeGreaterThan(before - 10 * 60_000);
          expect(info.mtime).toBeLessThan(Date.now() + 10 * 60_000);
        }
      });
      it('gives undefined for a missing key', async () => {
        expect(await storage.stat(`${ns('stat-missing')}nothing-here`)).toBeUndefined();
      });
      it('gives undefined for a "directory" (a prefix of other keys)', async () => {
        const base = ns('stat-dir');
        await writeObject(storage, `${base}d/child`, enc.encode('c'));
        expect(await storage.stat(`${base}d`)).toBeUndefined();
      });
    });

    describe('list', () => {
      let base: string;
      // '-' < '.' < '/' < '0': a directory's keys sort between its siblings, not after them.
      const rel = ['a-b', 'a.x', 'a/b', 'a/c/d', 'a/c/e', 'a0', 'b/x', 'ba', 'z'];
      beforeAll(async () => {
        base = ns('list');
        // Written out of order, in parallel.
        await Promise.all(
          [...rel].reverse().map((k, i) => writeObject(storage, `${base}${k}`, testBytes(i, i))),
        );
      });
      it('yields every key under a prefix, nested ones included, in lexicographic order', async () => {
        expect(await keysUnder(base)).toEqual(rel.map((k) => `${base}${k}`));
      });
      it('filters by a partial last segment', async () => {
        expect(await keysUnder(`${base}a`)).toEqual(
          ['a-b', 'a.x', 'a/b', 'a/c/d', 'a/c/e', 'a0'].map((k) => `${base}${k}`),
        );
        expect(await keysUnder(`${base}a/`)).toEqual(
          ['a/b', 'a/c/d', 'a/c/e'].map((k) => `${base}${k}`),
        );
        expect(await keysUnder(`${base}a/c/`)).toEqual(
          ['a/c/d', 'a/c/e'].map((k) => `${base}${k}`),
        );
        expect(await keysUnder(`${base}b`)).toEqual(['b/x', 'ba'].map((k) => `${base}${k}`));
      });
      it('gives sizes', async () => {
        const infos: Record<string, number> = {};
        for await (const info of storage.list(base)) infos[info.key] = info.size;
        const reversed = [...rel].reverse();
        for (const k of rel) expect(infos[`${base}${k}`]).toBe(reversed.indexOf(k));
      });
      it('yields nothing for a prefix that matches nothing', async () => {
        expect(await keysUnder(`${base}nope`)).toEqual([]);
        expect(await keysUnder(`${base}nope/`)).toEqual([]);
        expect(await keysUnder(`${ns('list-none')}`)).toEqual([]);
      });
      it('rejects invalid prefixes', async () => {
        await expect(keysUnder('/abs')).rejects.toThrow(TypeError);
        await expect(keysUnder(`${base}../x`)).rejects.toThrow(TypeError);
      });

      const paging = options.listPaging === true || envFlag('SEALSTREAM_CONFORMANCE_LIST_PAGING');
      if (paging) {
        it('pages past 1000 keys', { timeout: 600_000 }, async () => {
          const many = ns('list-paging');
          const keys = Array.from(
            { length: 1001 },
            (_, i) => `${many}k${String(i).padStart(5, '0')}`,
          );
          for (let i = 0; i < keys.length; i += 50) {
            await Promise.all(
              keys.slice(i, i + 50).map((k) => writeObject(storage, k, enc.encode('p'))),
            );
          }
          expect(await keysUnder(many)).toEqual(keys);
        });
      } else {
        const reason =
          'writes 1001 objects; enable with { listPaging: true } or SEALSTREAM_CONFORMANCE_LIST_PAGING=1';
        console.warn(
          `[storage conformance: ${name}] NOT RUN: list paging past 1000 keys (${reason})`,
        );
        it(`list pages past 1000 keys (NOT RUN: ${reason})`, () => {
          expect(paging).toBe(false);
        });
      }
    });

    describe('delete', () => {
      it('removes an object', async () => {
        const key = `${ns('del')}obj`;
        await writeObject(storage, key, enc.encode('bye'));
        await storage.delete(key);
        expect(await storage.stat(key)).toBeUndefined();
        expect(await keysUnder(key)).toEqual([]);
        await expect(readObject(storage, key)).rejects.toSatisfy(
          isStorageError('ERR_STORAGE_NOT_FOUND'),
        );
      });
      it('succeeds for a missing key', async () => {
        await expect(storage.delete(`${ns('del-missing')}never-written`)).resolves.toBeUndefined();
      });
      it('leaves siblings alone', async () => {
        const base = ns('del-sib');
        await writeObject(storage, `${base}a`, enc.encode('a'));
        await writeObject(storage, `${base}ab`, enc.encode('ab'));
        await storage.delete(`${base}a`);
        expect(await keysUnder(base)).toEqual([`${base}ab`]);
      });
    });

    describe('ifAbsent (create-if-absent)', () => {
      it('creates a missing key', async () => {
        const key = `${ns('ifa')}obj`;
        await writeObject(storage, key, enc.encode('one'), { ifAbsent: true });
        expect(bytesDiff(await readObject(storage, key), enc.encode('one'))).toBe('');
      });
      it('fails with ERR_STORAGE_EXISTS for an existing key and keeps the first content', async () => {
        const key = `${ns('ifa-exists')}obj`;
        await writeObject(storage, key, enc.encode('first'), { ifAbsent: true });
        await expect(
          writeObject(storage, key, enc.encode('second writer'), { ifAbsent: true }),
        ).rejects.toSatisfy(isStorageError('ERR_STORAGE_EXISTS'));
        expect(new TextDecoder().decode(await readObject(storage, key))).toBe('first');
        expect(await keysUnder(key)).toEqual([key]);
      });
      it('fails for an existing key written without ifAbsent, with a streamed (multi-chunk) body', async () => {
        const key = `${ns('ifa-stream')}obj`;
        const first = testBytes(2 * MiB, 21);
        await writeObject(storage, key, first);
        const attempt = (async () => {
          await streamOf(testBytes(2 * MiB, 22), {
            minChunk: 60_000,
            maxChunk: 200_000,
            seed: 3,
          }).pipeTo(await storage.write(key, { ifAbsent: true }));
        })();
        await expect(attempt).rejects.toSatisfy(isStorageError('ERR_STORAGE_EXISTS'));
        expect(bytesDiff(await readObject(storage, key), first)).toBe('');
      });

      const atomic = () => storage.capabilities.atomicCreate;
      const declared = options.capabilities;
      if (declared && declared.atomicCreate !== true) {
        const reason = declared.reasons?.atomicCreate ?? '(no reason given)';
        const what =
          declared.atomicCreate === 'single-put'
            ? 'racing streamed (multi-part) writers'
            : 'racing concurrent writers';
        console.warn(
          `[storage conformance: ${name}] NOT RUN: ${what} (atomicCreate=${String(declared.atomicCreate)}: ${reason})`,
        );
        it(`${what} (not supported: atomicCreate=${String(declared.atomicCreate)}: ${reason})`, () => {
          expect(storage.capabilities).toEqual(declared);
          expect(reason).toMatch(/\S/);
        });
      }
      it('two concurrent ifAbsent writers of one key: exactly one wins (atomicCreate)', async (ctx) => {
        const key = `${ns('ifa-race')}obj`;
        const mode = atomic();
        if (mode !== true) {
          const reason = storage.capabilities.reasons?.atomicCreate ?? '(no reason given)';
          const what =
            mode === 'single-put'
              ? 'racing streamed (multi-part) writers is NOT RUN; racing single-request writers instead'
              : 'racing writers is NOT RUN; checking one writer after another instead';
          const message = `[storage conformance: ${name}] atomicCreate=${String(mode)}: ${what}. Reason: ${reason}`;
          console.warn(message);
          await ctx.annotate(message, 'warning');
          expect(reason).toMatch(/\S/);
        }
        if (mode === false) {
          await writeObject(storage, key, enc.encode('A'), { ifAbsent: true });
          await expect(
            writeObject(storage, key, enc.encode('B'), { ifAbsent: true }),
          ).rejects.toSatisfy(isStorageError('ERR_STORAGE_EXISTS'));
          expect(bytesDiff(await readObject(storage, key), enc.encode('A'))).toBe('');
          return;
        }
        for (let round = 0; round < 5; round++) {
          const k = `${key}-${round}`;
          const size = mode === true ? 1 * MiB + 17 : 1000;
          const a = testBytes(size, 100 + round);
          const b = testBytes(size, 200 + round);
          const chunks =
            mode === true
              ? { minChunk: 50_000, maxChunk: 300_000 }
              : { minChunk: size, maxChunk: size };
          const attempt = async (data: Uint8Array, seed: number) => {
            const w = await storage.write(k, { ifAbsent: true, size });
            await streamOf(data, { ...chunks, seed }).pipeTo(w);
          };
          const results = await Promise.allSettled([attempt(a, 1), attempt(b, 2)]);
          const won = results.filter((r) => r.status === 'fulfilled');
          const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
          expect(won.length, `round ${round}: exactly one writer wins`).toBe(1);
          expect(
            isStorageError('ERR_STORAGE_EXISTS')(lost[0]?.reason),
            String(lost[0]?.reason),
          ).toBe(true);
          const winner = results[0]?.status === 'fulfilled' ? a : b;
          expect(bytesDiff(await readObject(storage, k), winner)).toBe('');
        }
      });
    });

    describe('failed writes leave nothing visible', () => {
      it('writer.abort() after some data', async () => {
        const base = ns('abort');
        const key = `${base}obj`;
        const writer = (await storage.write(key)).getWriter();
        await writer.write(testBytes(1 * MiB, 1));
        await writer.write(testBytes(100, 2));
        await writer.abort(new Error('changed my mind'));
        expect(await storage.stat(key)).toBeUndefined();
        expect(await keysUnder(base)).toEqual([]);
        await expect(readObject(storage, key)).rejects.toSatisfy(
          isStorageError('ERR_STORAGE_NOT_FOUND'),
        );
      });
      it('writer.abort() of an ifAbsent write, and the key stays free', async () => {
        const base = ns('abort-ifa');
        const key = `${base}obj`;
        const writer = (await storage.write(key, { ifAbsent: true })).getWriter();
        await writer.write(testBytes(10_000, 1));
        await writer.abort(new Error('no'));
        expect(await storage.stat(key)).toBeUndefined();
        await writeObject(storage, key, enc.encode('later'), { ifAbsent: true });
        expect(await keysUnder(base)).toEqual([key]);
      });
      it('an erroring source mid-write', async () => {
        const base = ns('src-error');
        const key = `${base}obj`;
        const boom = new Error('source failed');
        const src = source([testBytes(700_000, 1), testBytes(700_000, 2)], boom);
        await expect(src.pipeTo(await storage.write(key))).rejects.toBe(boom);
        expect(await storage.stat(key)).toBeUndefined();
        expect(await keysUnder(base)).toEqual([]);
      });
      it('an erroring source does not replace an existing object', async () => {
        const key = `${ns('src-error-over')}obj`;
        await writeObject(storage, key, enc.encode('original'));
        const boom = new Error('source failed');
        await expect(
          source([testBytes(300_000, 1)], boom).pipeTo(await storage.write(key)),
        ).rejects.toBe(boom);
        expect(new TextDecoder().decode(await readObject(storage, key))).toBe('original');
      });
      it('an AbortSignal fired mid-write', async () => {
        const base = ns('signal');
        const key = `${base}obj`;
        const ac = new AbortController();
        const writable = await storage.write(key, { signal: ac.signal });
        const result = sink(writable, [testBytes(500_000, 1), testBytes(500_000, 2)], () =>
          ac.abort(new Error('stop')),
        );
        await expect(result).rejects.toThrow();
        expect(await storage.stat(key)).toBeUndefined();
        expect(await keysUnder(base)).toEqual([]);
      });
      it('an already-aborted AbortSignal', async () => {
        const key = `${ns('signal-pre')}obj`;
        const ac = new AbortController();
        ac.abort(new Error('too late'));
        const attempt = (async () =>
          writeObject(storage, key, enc.encode('x'), { signal: ac.signal }))();
        await expect(attempt).rejects.toThrow();
        expect(await storage.stat(key)).toBeUndefined();
      });
    });

    describe('errors', () => {
      it('read of a missing key fails with ERR_STORAGE_NOT_FOUND naming driver and key, without secrets', async () => {
        const key = `${ns('missing')}nothing`;
        let caught: unknown;
        try {
          await readObject(storage, key);
        } catch (e) {
          caught = e;
        }
        expect(isStorageError('ERR_STORAGE_NOT_FOUND')(caught), String(caught)).toBe(true);
        const e = caught as Error & { driver?: string };
        expect(e.driver).toBe(storage.driver);
        expect(e.message).toContain('nothing');
        expect(e.message).not.toMatch(
          /(SECRET|TOKEN|ACCOUNT_KEY|CREDENTIALS|ACCESS_KEY_ID)[^=]*=(?!redacted)[^&\s]+/,
        );
        await expect(readObject(storage, key, { start: 0, end: 1 })).rejects.toSatisfy(
          isStorageError('ERR_STORAGE_NOT_FOUND'),
        );
      });
      it('rejects invalid keys in every method and creates nothing', async () => {
        const base = ns('badkeys');
        const bad = [
          '',
          '/abs',
          `${base}a//b`,
          `${base}x/../y`,
          '..',
          `${base}trailing/`,
          `${base}./a`,
          `${base}nul\u0000`,
        ];
        for (const k of bad) {
          await expect(storage.write(k), `write ${JSON.stringify(k)}`).rejects.toThrow(TypeError);
          await expect(storage.read(k), `read ${JSON.stringify(k)}`).rejects.toThrow(TypeError);
          await expect(storage.stat(k), `stat ${JSON.stringify(k)}`).rejects.toThrow(TypeError);
          await expect(storage.delete(k), `delete ${JSON.stringify(k)}`).rejects.toThrow(TypeError);
        }
        expect(await keysUnder(base)).toEqual([]);
      });
    });

    options.additionalTests?.();
  });
}
