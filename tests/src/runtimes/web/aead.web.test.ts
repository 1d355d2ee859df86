import {
  AeadError,
  decrypt,
  decryptRange,
  decryptStream,
  encrypt,
  encryptStream,
  nobleEngine,
  webcryptoEngine,
} from '@sealstream/aead';
import { collect, decodeHex, encodeHex } from '@sealstream/streams';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import golden from '../../../../packages/aead/golden/v1.json' with { type: 'json' };
import {
  fixedRandom,
  pattern,
  seal,
  split,
} from '../../../../packages/aead/src/testing/helpers.ts';
import gcmVectors from '../../../vectors/wycheproof/aes_gcm_test.json' with { type: 'json' };

// The aead format through its web engines, written to run unchanged in Node, Deno, headless
// Chromium and workerd (the package's own tests also exercise the Node-only engine, so they run
// in Node only; see tests/runtimes/exclusions.ts). Vectors are JSON modules.

const ENGINES = ['webcrypto', 'noble'] as const;

interface GoldenCase {
  name: string;
  key: string;
  salt: string;
  noncePrefix: string;
  segmentSize: number;
  associatedData: string;
  plaintext: string;
  ciphertext: string;
}
interface GcmCase {
  tcId: number;
  key: string;
  iv: string;
  aad: string;
  msg: string;
  ct: string;
  tag: string;
  result: 'valid' | 'invalid' | 'acceptable';
}

const cases = (golden as unknown as { cases: GoldenCase[] }).cases;
const gcmCases = (
  gcmVectors as unknown as {
    testGroups: { keySize: number; ivSize: number; tagSize: number; tests: GcmCase[] }[];
  }
).testGroups
  .filter((g) => g.keySize === 256 && g.ivSize === 96 && g.tagSize === 128)
  .flatMap((g) => g.tests);

describe.each(ENGINES)('aead through the %s engine (every runtime)', (engine) => {
  it.each(cases.map((c) => [c.name, c] as const))(
    'golden %s: seals to the same bytes and opens',
    async (_name, c) => {
      const key = decodeHex(c.key);
      const associatedData = decodeHex(c.associatedData);
      const sealed = await seal(
        key,
        [decodeHex(c.plaintext)],
        fixedRandom(
          { segmentSize: c.segmentSize, associatedData, engine },
          decodeHex(c.salt),
          decodeHex(c.noncePrefix),
        ),
      );
      expect(encodeHex(sealed)).toBe(c.ciphertext);
      expect(
        encodeHex(await decrypt(key, decodeHex(c.ciphertext), { associatedData, engine })),
      ).toBe(c.plaintext);
    },
  );

  it('passes the Wycheproof AES-256-GCM vectors with 96-bit IVs (valid and invalid)', async () => {
    const impl = engine === 'webcrypto' ? webcryptoEngine : nobleEngine;
    expect(gcmCases.length).toBeGreaterThan(60);
    for (const tc of gcmCases) {
      const cipher = await impl.createSegmentCipher(decodeHex(tc.key));
      const opened = await cipher.open(
        decodeHex(tc.iv),
        [decodeHex(tc.ct + tc.tag)],
        decodeHex(tc.aad),
      );
      if (tc.result === 'valid')
        expect(
          encodeHex(opened?.length ? concat(opened) : new Uint8Array(0)),
          `tcId ${tc.tcId}`,
        ).toBe(tc.msg);
      else if (tc.result === 'invalid') expect(opened, `tcId ${tc.tcId}`).toBeNull();
    }
  });

  it('round-trips boundary sizes (0, 1, segment−1, segment, segment+1, 3 segments) fed in random chunks', async () => {
    const key = crypto.getRandomValues(new Uint8Array(32));
    const associatedData = new TextEncoder().encode('backup-1/data/0001');
    for (const n of [0, 1, 63, 64, 65, 192, 1000]) {
      const plain = pattern(n, n);
      const chunks = split(plain, [1, 7, 64, 3, 100]);
      const sealed = await collect(
        fromChunks(chunks).pipeThrough(
          encryptStream(key, { segmentSize: 64, associatedData, engine }),
        ),
      );
      const opened = await collect(
        fromChunks(split(sealed, [5, 80, 1])).pipeThrough(
          decryptStream(key, { associatedData, engine }),
        ),
      );
      expect(opened).toEqual(plain);
    }
  });

  it('opens what the other web engine sealed', async () => {
    const other = engine === 'webcrypto' ? 'noble' : 'webcrypto';
    const key = crypto.getRandomValues(new Uint8Array(32));
    const plain = pattern(5000, 3);
    const sealed = await encrypt(key, plain, { segmentSize: 1024, engine: other });
    expect(await decrypt(key, sealed, { engine })).toEqual(plain);
  });

  it('property: any single-byte corruption or truncation gives a typed error, never output', async () => {
    const key = crypto.getRandomValues(new Uint8Array(32));
    const plain = pattern(300, 9);
    const sealed = await encrypt(key, plain, { segmentSize: 64, engine });
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: sealed.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        fc.boolean(),
        async (at, flip, truncate) => {
          const bad = truncate ? sealed.subarray(0, at) : sealed.slice();
          if (!truncate) (bad as Uint8Array)[at] = ((bad[at] ?? 0) ^ flip) & 255;
          const err = await decrypt(key, bad, { engine }).then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(err).toBeInstanceOf(AeadError);
        },
      ),
      { numRuns: engine === 'noble' ? 40 : 100 },
    );
  });

  it('decryptRange returns exactly [start, end), reading only the covering segments', async () => {
    // Also a regression test for workerd, whose ReadableStream may call pull() before an async
    // start() has settled (docs/RUNTIMES.md).
    const key = crypto.getRandomValues(new Uint8Array(32));
    const plain = pattern(64 * 10 + 7, 5);
    const sealed = await encrypt(key, plain, { segmentSize: 64, engine });
    for (const [start, end] of [
      [0, 10],
      [63, 65],
      [130, 400],
      [plain.length - 5, plain.length],
      [plain.length - 5, plain.length + 100],
      [20, 20],
    ] as const) {
      const reads: number[] = [];
      const got = await collect(
        decryptRange(key, {
          ciphertextSize: sealed.length,
          start,
          end,
          engine,
          read: async (offset, length) => {
            reads.push(offset);
            return sealed.slice(offset, offset + length);
          },
        }),
      );
      expect(got, `[${start}, ${end})`).toEqual(plain.subarray(start, Math.min(end, plain.length)));
      const first = Math.floor(start / 64);
      const last = Math.floor((Math.min(end, plain.length) - 1) / 64);
      expect(reads.length, `[${start}, ${end}) reads`).toBe(
        start >= Math.min(end, plain.length) ? 1 : 1 + last - first + 1,
      );
    }
  });

  it('rejects a wrong key as a key mismatch before any plaintext', async () => {
    const sealed = await encrypt(crypto.getRandomValues(new Uint8Array(32)), pattern(100), {
      engine,
    });
    await expect(
      decrypt(crypto.getRandomValues(new Uint8Array(32)), sealed, { engine }),
    ).rejects.toMatchObject({ code: 'ERR_AEAD_KEY_MISMATCH' });
  });
});

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function fromChunks(chunks: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(c) {
      const next = chunks[i++];
      if (next === undefined) c.close();
      else c.enqueue(next.slice());
    },
  });
}
