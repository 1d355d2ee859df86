import { encrypt } from '@sealstream/aead';
import { SealstreamError } from '@sealstream/streams';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ChainKeys, deriveChainKeys } from './chainKeys.ts';
import { sealedAssociatedData } from './sealedKinds.ts';
import { openSnapshot, type Snapshot, sealSnapshot } from './snapshot.ts';

// Fuzz target (docs/FUZZING.md): a fixed seed and case count here; SEALSTREAM_FUZZ_RUNS,
// SEALSTREAM_FUZZ_SEED and SEALSTREAM_FUZZ_PATH run longer or replay a failure.
const env =
  (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
function fuzz<T>(runs: number): fc.Parameters<T> {
  return {
    numRuns: Number(env.SEALSTREAM_FUZZ_RUNS) || runs,
    seed: Number(env.SEALSTREAM_FUZZ_SEED) || 13,
    ...(env.SEALSTREAM_FUZZ_PATH ? { path: env.SEALSTREAM_FUZZ_PATH } : {}),
  };
}

/** `valid` with bytes flipped, cut, inserted or appended, or wholly random bytes. */
function mutations(valid: Uint8Array): fc.Arbitrary<Uint8Array> {
  const edits = fc
    .array(
      fc.oneof(
        fc.record({ op: fc.constant('flip'), at: fc.nat(), x: fc.integer({ min: 1, max: 255 }) }),
        fc.record({ op: fc.constant('cut'), at: fc.nat(), n: fc.integer({ min: 1, max: 64 }) }),
        fc.record({ op: fc.constant('truncate'), at: fc.nat() }),
        fc.record({
          op: fc.constant('insert'),
          at: fc.nat(),
          bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
        }),
        fc.record({
          op: fc.constant('append'),
          bytes: fc.uint8Array({ minLength: 1, maxLength: 40 }),
        }),
      ),
      { minLength: 1, maxLength: 3 },
    )
    .map((list) => {
      let b = valid.slice();
      for (const e of list) {
        const i = 'at' in e ? e.at % (b.length + 1) : b.length;
        if (e.op === 'flip' && i < b.length) b[i] = (b[i] as number) ^ e.x;
        else if (e.op === 'cut') b = concat(b.subarray(0, i), b.subarray(i + e.n));
        else if (e.op === 'truncate') b = b.slice(0, i);
        else if (e.op === 'insert' || e.op === 'append')
          b = concat(b.subarray(0, i), e.bytes, b.subarray(i));
      }
      return b;
    });
  return fc.oneof(
    { weight: 4, arbitrary: edits },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: valid.length + 64 }) },
  );
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Rethrows anything but a SealstreamError whose code starts with `prefix`. */
function expectTyped(e: unknown, ...prefixes: string[]): void {
  if (!(e instanceof SealstreamError) || !prefixes.some((p) => e.code.startsWith(p))) throw e;
}
const layerId = '2026/12/06-031500.12/incrementals/20261206-031600.00';
const snapshot: Snapshot = {
  layerId,
  type: 'incremental',
  parent: { layerId: '2026/12/06-031500.12', digest: 'cd'.repeat(32) },
  root: 'ab'.repeat(32),
  startTime: '2026-12-06T03:15:00.120Z',
  endTime: '2026-12-06T03:15:09.000Z',
  stats: { entries: 3, bytes: 10, newBlobs: 2, newBytes: 10 },
  localities: ['default', 'offsite'],
};
let keys: ChainKeys;
let sealed: Uint8Array;
let plain: Uint8Array;

beforeAll(async () => {
  keys = await deriveChainKeys(new Uint8Array(32).fill(5));
  sealed = await sealSnapshot(keys.meta, keys.chainId, snapshot);
  plain = new TextEncoder().encode(
    JSON.stringify({ format: 'sealstream-snapshot', version: 1, ...snapshot }),
  );
});

describe('snapshot fuzz (openSnapshot)', () => {
  it('the test document is the one sealSnapshot writes', async () => {
    const ad = sealedAssociatedData('snapshot', [keys.chainId, layerId]);
    const again = await encrypt(keys.meta, plain, { associatedData: ad });
    expect(await openSnapshot(keys.meta, keys.chainId, layerId, again)).toEqual(snapshot);
  });

  it('mutated sealed bytes: ERR_AEAD_* unless unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constant(0).chain(() => mutations(sealed)),
        async (bytes) => {
          try {
            const out = await openSnapshot(keys.meta, keys.chainId, layerId, bytes, 'snapshots/x');
            expect(equal(bytes, sealed)).toBe(true);
            expect(out).toEqual(snapshot);
          } catch (e) {
            expectTyped(e, 'ERR_AEAD_', 'ERR_MANIFEST_TOO_LARGE');
          }
        },
      ),
      fuzz(300),
    );
  });

  it('mutated plaintext sealed with the right key: a valid snapshot of this layer or ERR_MANIFEST_*', async () => {
    const ad = sealedAssociatedData('snapshot', [keys.chainId, layerId]);
    const text = new TextDecoder().decode(plain);
    const replaced = fc
      .tuple(
        fc.nat(text.length),
        fc.nat(30),
        fc.oneof(
          fc.string({ maxLength: 12 }),
          fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
        ),
      )
      .map(([at, n, s]) => new TextEncoder().encode(text.slice(0, at) + s + text.slice(at + n)));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.constant(0).chain(() => mutations(plain)),
          replaced,
        ),
        async (bytes) => {
          const box = await encrypt(keys.meta, bytes, { associatedData: ad });
          try {
            const out = await openSnapshot(keys.meta, keys.chainId, layerId, box);
            expect(out.layerId).toBe(layerId);
            // What was accepted seals again (sealSnapshot validates exactly as a reader does).
            await sealSnapshot(keys.meta, keys.chainId, out);
          } catch (e) {
            expectTyped(e, 'ERR_MANIFEST_');
          }
        },
      ),
      fuzz(400),
    );
  });
});
