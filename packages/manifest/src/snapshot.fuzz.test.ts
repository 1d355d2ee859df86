import { encrypt } from '@sealstream/aead';
import { equalBytes } from '@sealstream/streams';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectTyped, fuzz, mutations } from '../../../tests/src/fuzz/byteFuzz.ts';
import { type ChainKeys, deriveChainKeys } from './chainKeys.ts';
import { sealedAssociatedData } from './sealedKinds.ts';
import { openSnapshot, type Snapshot, sealSnapshot } from './snapshot.ts';

// Fuzz target (docs/FUZZING.md): shared scaffolding in tests/src/fuzz/byteFuzz.ts.
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
            expect(equalBytes(bytes, sealed)).toBe(true);
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
