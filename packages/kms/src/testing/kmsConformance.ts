import { encodeBase64, encodeHex, equalBytes } from '@sealstream/streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyWrapper, WrappedKey } from '../KeyWrapper.ts';

/** What a provider's test hands to {@link kmsConformance}. */
export interface KmsConformanceFixture {
  /** A wrapper for key A. */
  key: KeyWrapper;
  /** The same key A reached by another name (e.g. alias vs ARN), if the provider has one. */
  sameKeyOtherName?: KeyWrapper;
  /** A wrapper for a different key B of the same provider. */
  otherKey: KeyWrapper;
  /** A wrapper for key A whose credentials are wrong (omit if the provider has no credentials). */
  badCredentials?: KeyWrapper;
  /** Takes the provider down (connections refused) or brings it back. Omit: capability absent. */
  setDown?: (down: boolean) => Promise<void> | void;
  /** The next `n` provider requests are throttled. Omit: capability absent. */
  setThrottle?: (n: number) => void;
  /** Every secret used by these wrappers; none may appear in any error. */
  secrets: string[];
  /** A down provider must fail within this many ms. Default 15000. */
  downWithinMs?: number;
  /** Stops what {@link kmsConformance}'s `make` started. */
  close?: () => Promise<void> | void;
}

async function failure(p: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/**
 * The own enumerable properties of `v` (and its `cause`), `depth` levels deep, as text: what a
 * logger that walks an error object prints. Bytes are listed as numbers, as `util.inspect` does.
 */
function properties(v: unknown, depth: number): string {
  if (v === null || typeof v !== 'object') return String(v);
  if (v instanceof Uint8Array) return `Uint8Array [ ${v.join(', ')} ]`;
  if (depth < 0) return '[Object]';
  const entries = Object.entries(v);
  if (v instanceof Error && v.cause !== undefined) entries.push(['cause', v.cause]);
  return entries.map(([k, x]) => `${k}: ${properties(x, depth - 1)}`).join('\n');
}

/** Whether `needle` occurs in `hay`, byte for byte. */
function containsBytes(hay: Uint8Array, needle: Uint8Array): boolean {
  for (let i = 0; i + needle.length <= hay.length; i++)
    if (equalBytes(hay.subarray(i, i + needle.length), needle)) return true;
  return false;
}

/** Everything an error shows a user or a log: message, stack, causes, and its properties. */
function errorText(e: unknown): string {
  const parts: string[] = [];
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur; i++) {
    if (cur instanceof Error) parts.push(cur.message, cur.stack ?? '');
    else parts.push(String(cur));
    cur = (cur as { cause?: unknown }).cause;
  }
  parts.push(String(e), properties(e, 2));
  return parts.join('\n');
}

let currentDek: Uint8Array | undefined;

function expectNoSecret(e: unknown, secrets: string[]): void {
  const text = errorText(e);
  if (currentDek) {
    // The DEK itself (as an SDK would serialise a request body) must not ride along either.
    expect(text.includes(encodeBase64(currentDek)), 'error text contains the DEK (base64)').toBe(
      false,
    );
    expect(text.includes(encodeHex(currentDek)), 'error text contains the DEK (hex)').toBe(false);
  }
  for (const s of secrets) {
    if (s.length < 6) continue;
    expect(text.includes(s), `error text contains a secret (${s.slice(0, 2)}…)`).toBe(false);
  }
}

/**
 * The one conformance suite every KMS provider runs (cloud providers against their loopback
 * emulators, local-kms against a key file): round trip, exact key identity, context binding, wrong key, tampered
 * wrapped key, a wrapped key from another provider, bad credentials, provider down, throttling,
 * and no secret in any error. Capabilities a fixture lacks (`setDown`, `setThrottle`,
 * `badCredentials`, `sameKeyOtherName`) are reported with a console line, never skipped silently.
 *
 * @example
 * ```ts
 * import { kmsConformance } from '@sealstream/kms/testing';
 * kmsConformance('aws', async () => ({ key, otherKey, secrets: [secret], setDown, setThrottle }));
 * ```
 */
export function kmsConformance(name: string, make: () => Promise<KmsConformanceFixture>): void {
  describe(`KMS conformance: ${name}`, () => {
    let f: KmsConformanceFixture;
    const dek = crypto.getRandomValues(new Uint8Array(32));
    const context = new TextEncoder().encode(`backup-${name}-context`);

    beforeAll(async () => {
      currentDek = dek;
      f = await make();
      for (const cap of ['setDown', 'setThrottle', 'badCredentials', 'sameKeyOtherName'] as const) {
        if (f[cap] === undefined)
          console.warn(
            `[kmsConformance ${name}] capability ${cap} not provided: its test only checks that this is declared`,
          );
      }
    });
    afterAll(async () => {
      await f?.setDown?.(false);
      await f?.close?.();
    });

    it('exposes a scheme, a secret-free id and a redacted URI', () => {
      expect(f.key.scheme).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(f.key.id.length).toBeGreaterThan(0);
      for (const s of f.secrets) {
        expect(f.key.id.includes(s)).toBe(false);
        expect(f.key.redactedUri.includes(s)).toBe(false);
      }
    });

    it('round-trips a 32-byte DEK, with and without a context', async () => {
      const a = await f.key.wrap(dek);
      expect(a.scheme).toBe(f.key.scheme);
      expect(a.wrapped.length).toBeGreaterThan(0);
      expect(containsBytes(a.wrapped, dek)).toBe(false);
      expect(await f.key.unwrap(a)).toEqual(dek);
      const b = await f.key.wrap(dek, context);
      expect(await f.key.unwrap(b, context)).toEqual(dek);
      expect(f.key.matches(a)).toBe(true);
      for (const s of f.secrets)
        expect(JSON.stringify({ ...a, wrapped: [...a.wrapped] }).includes(s)).toBe(false);
    });

    it('wraps the same DEK to different blobs each time', async () => {
      const a = await f.key.wrap(dek);
      const b = await f.key.wrap(dek);
      expect(equalBytes(a.wrapped, b.wrapped)).toBe(false);
    });

    it('recognises the same key named another way (alias vs ARN)', async () => {
      if (!f.sameKeyOtherName) {
        console.warn(
          `[kmsConformance ${name}] no second name for the key: alias/ARN check not applicable`,
        );
        expect(f.sameKeyOtherName).toBeUndefined();
        return;
      }
      const a = await f.key.wrap(dek, context);
      expect(f.sameKeyOtherName.matches(a)).toBe(true);
      expect(await f.sameKeyOtherName.unwrap(a, context)).toEqual(dek);
      const b = await f.sameKeyOtherName.wrap(dek);
      expect(await f.key.unwrap(b)).toEqual(dek);
    });

    it('identifies its key exactly: the same key by every name, never another key', async () => {
      const id = await f.key.identify();
      expect(id.length).toBeGreaterThan(0);
      expect(await f.key.identify()).toBe(id);
      expect(f.key.id).toBe(id);
      const other = await f.otherKey.identify();
      expect(other).not.toBe(id);
      if (f.sameKeyOtherName) expect(await f.sameKeyOtherName.identify()).toBe(id);
      const mine = await f.key.wrap(dek);
      const theirs = await f.otherKey.wrap(dek);
      expect(mine.id).toBe(id);
      expect(f.key.matches(mine)).toBe(true);
      expect(f.key.matches(theirs)).toBe(false);
      expect(f.otherKey.matches(mine)).toBe(false);
      for (const s of f.secrets) expect(id.includes(s)).toBe(false);
    });

    it('refuses a blob made by another key with ERR_KMS_WRONG_KEY', async () => {
      const a = await f.otherKey.wrap(dek);
      expect(f.key.matches(a)).toBe(false);
      const e = await failure(f.key.unwrap(a));
      expect(e.code).toBe('ERR_KMS_WRONG_KEY');
      expect(e.message).toContain(f.key.redactedUri);
      expectNoSecret(e, f.secrets);
    });

    it('refuses a blob the other key made even when the entry claims to be ours', async () => {
      const a = await f.otherKey.wrap(dek);
      const forged: WrappedKey = { ...a, id: f.key.id };
      const e = await failure(f.key.unwrap(forged));
      expect(['ERR_KMS_WRONG_KEY', 'ERR_KMS_BAD_WRAPPED_KEY']).toContain(e.code);
      expectNoSecret(e, f.secrets);
    });

    it('refuses a wrapped key from another provider with ERR_KMS_WRONG_KEY', async () => {
      const foreign: WrappedKey = {
        scheme: f.key.scheme === 'local-kms' ? 'aws' : 'local-kms',
        id: 'some-other-key',
        wrapped: new Uint8Array(60).fill(7),
      };
      expect(f.key.matches(foreign)).toBe(false);
      const e = await failure(f.key.unwrap(foreign));
      expect(e.code).toBe('ERR_KMS_WRONG_KEY');
    });

    it('detects a tampered wrapped key (every region of the blob)', async () => {
      const a = await f.key.wrap(dek, context);
      const n = a.wrapped.length;
      for (const at of [0, Math.floor(n / 2), n - 1]) {
        const wrapped = new Uint8Array(a.wrapped);
        wrapped[at] = (wrapped[at] as number) ^ 0x01;
        const e = await failure(f.key.unwrap({ ...a, wrapped }, context));
        expect(
          ['ERR_KMS_BAD_WRAPPED_KEY', 'ERR_KMS_WRONG_KEY'],
          `flip at ${at}: ${e.message}`,
        ).toContain(e.code);
        expectNoSecret(e, f.secrets);
      }
      const truncated = await failure(
        f.key.unwrap({ ...a, wrapped: a.wrapped.subarray(0, n - 5) }, context),
      );
      expect(['ERR_KMS_BAD_WRAPPED_KEY', 'ERR_KMS_WRONG_KEY']).toContain(truncated.code);
    });

    it('binds the context: another context fails with ERR_KMS_BAD_WRAPPED_KEY', async () => {
      const a = await f.key.wrap(dek, context);
      const e = await failure(f.key.unwrap(a, new TextEncoder().encode('another backup')));
      expect(e.code).toBe('ERR_KMS_BAD_WRAPPED_KEY');
      const e2 = await failure(f.key.unwrap(a));
      expect(e2.code).toBe('ERR_KMS_BAD_WRAPPED_KEY');
    });

    it('reports wrong credentials as ERR_KMS_ACCESS_DENIED without the secret', async () => {
      if (!f.badCredentials) {
        console.warn(
          `[kmsConformance ${name}] provider has no credentials: bad-credential check not applicable`,
        );
        expect(f.badCredentials).toBeUndefined();
        return;
      }
      const good = await f.key.wrap(dek);
      const e1 = await failure(f.badCredentials.wrap(dek));
      expect(e1.code, e1.message).toBe('ERR_KMS_ACCESS_DENIED');
      expect(e1.message).toContain(f.badCredentials.redactedUri);
      expectNoSecret(e1, f.secrets);
      const e2 = await failure(f.badCredentials.unwrap(good));
      expect(e2.code, e2.message).toBe('ERR_KMS_ACCESS_DENIED');
      expectNoSecret(e2, f.secrets);
    });

    it('gives up on a provider that is down with ERR_KMS_UNAVAILABLE, in bounded time', async () => {
      if (!f.setDown) {
        console.warn(
          `[kmsConformance ${name}] provider cannot be taken down (local): outage check not applicable`,
        );
        expect(f.setDown).toBeUndefined();
        return;
      }
      const a = await f.key.wrap(dek);
      await f.setDown(true);
      try {
        const started = Date.now();
        const e = await failure(f.key.unwrap(a));
        const elapsed = Date.now() - started;
        expect(e.code, e.message).toBe('ERR_KMS_UNAVAILABLE');
        expect(e.message).toContain(f.key.redactedUri);
        expectNoSecret(e, f.secrets);
        // A bound on giving up (the contract), not a speed measurement.
        expect(elapsed).toBeLessThan(f.downWithinMs ?? 15_000);
        const w = await failure(f.key.wrap(dek));
        expect(w.code).toBe('ERR_KMS_UNAVAILABLE');
      } finally {
        await f.setDown(false);
      }
      expect(await f.key.unwrap(a)).toEqual(dek);
    });

    it('survives brief throttling (retried) and types persistent throttling', async () => {
      if (!f.setThrottle) {
        console.warn(
          `[kmsConformance ${name}] provider cannot be throttled (local): throttle check not applicable`,
        );
        expect(f.setThrottle).toBeUndefined();
        return;
      }
      const a = await f.key.wrap(dek);
      f.setThrottle(1);
      expect(await f.key.unwrap(a)).toEqual(dek);
      f.setThrottle(1000);
      try {
        const e = await failure(f.key.unwrap(a));
        expect(e.code, e.message).toBe('ERR_KMS_UNAVAILABLE');
        expectNoSecret(e, f.secrets);
      } finally {
        f.setThrottle(0);
      }
    });
  });
}
