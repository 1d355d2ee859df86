import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AeadEngine, EngineName } from './AeadEngine.ts';
import { ciphertextSize, decrypt, encrypt, encryptStream, HEADER_SIZE } from './index.ts';
import { ALL_ENGINES, ENGINE_LABELS, workerEngine } from './testing/engines.node.ts';
import { fixedRandom, open, pattern, runThrough, seal, split } from './testing/helpers.ts';
import './index.node.ts';

const key = pattern(32, 1);
const engines = ENGINE_LABELS;

describe('encryptStream / decryptStream round trip', () => {
  const seg = 64;
  const sizes = [0, 1, seg - 1, seg, seg + 1, 2 * seg, 5 * seg + 7];
  it.each(engines)(
    'engine %s: sizes 0, 1, seg−1, seg, seg+1, 2seg, many; whole, byte by byte',
    async (label) => {
      const engine = ALL_ENGINES[label];
      for (const n of sizes) {
        const plaintext = pattern(n, n);
        const whole = await seal(key, n === 0 ? [] : [plaintext], { segmentSize: seg, engine });
        expect(whole.length, `size ${n}`).toBe(ciphertextSize(n, seg));
        const bytewise = await seal(key, split(plaintext, [1]), { segmentSize: seg, engine });
        expect(bytewise.length).toBe(whole.length);
        for (const input of [[whole], split(whole, [1])]) {
          const r = await open(key, input, { engine });
          expect(r.error, `size ${n}`).toBeUndefined();
          expect(r.output).toEqual(plaintext);
        }
      }
    },
  );

  it('round-trips random chunkings with random in-flight counts (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 700, size: 'max' }),
        fc.array(fc.integer({ min: 1, max: 90 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 90 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 16, max: 80 }),
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom<AeadEngine | EngineName>('webcrypto', 'node', workerEngine),
        async (plaintext, inSizes, outSizes, segmentSize, inFlight, engine) => {
          const sealed = await seal(key, split(plaintext, inSizes), {
            segmentSize,
            inFlight,
            engine,
          });
          expect(sealed.length).toBe(ciphertextSize(plaintext.length, segmentSize));
          const r = await open(key, split(sealed, outSizes), { inFlight, engine });
          expect(r.error).toBeUndefined();
          expect(r.output).toEqual(plaintext);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('gives every engine identical bytes and opens each with every other', async () => {
    const salt = pattern(32, 7);
    const prefix = pattern(7, 8);
    const plaintext = pattern(1000, 3);
    const associatedData = new TextEncoder().encode('backup/1/data/0001.sst');
    const sealed = new Map<string, Uint8Array>();
    for (const label of engines) {
      const engine = ALL_ENGINES[label];
      sealed.set(
        label,
        await seal(
          key,
          split(plaintext, [33, 100, 1]),
          fixedRandom({ segmentSize: 128, engine, associatedData }, salt, prefix),
        ),
      );
    }
    for (const label of engines) expect(sealed.get(label), label).toEqual(sealed.get('webcrypto'));
    for (const from of engines) {
      for (const to of engines) {
        expect(
          await decrypt(key, sealed.get(from) as Uint8Array, {
            engine: ALL_ENGINES[to],
            associatedData,
          }),
          `${from}→${to}`,
        ).toEqual(plaintext);
      }
    }
  });

  it('draws a fresh salt and nonce prefix per stream', async () => {
    const a = await encrypt(key, new Uint8Array(10));
    const b = await encrypt(key, new Uint8Array(10));
    expect(a.subarray(13, 52)).not.toEqual(b.subarray(13, 52));
    expect(a.subarray(HEADER_SIZE)).not.toEqual(b.subarray(HEADER_SIZE));
  });

  it('does not depend on the caller keeping its key or associated data intact', async () => {
    const k = key.slice();
    const ad = new Uint8Array([1, 2, 3]);
    const t = encryptStream(k, { associatedData: ad });
    k.fill(0);
    ad.fill(0);
    const r = await seal(key, [new Uint8Array(5)], {});
    const sealed = await (async () => {
      const out: Uint8Array[] = [];
      const w = t.writable.getWriter();
      void w.write(new Uint8Array(5)).then(() => w.close());
      const reader = t.readable.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        out.push(value);
      }
      return new Uint8Array(out.flatMap((c) => [...c]));
    })();
    expect(sealed.length).toBe(r.length);
    expect(await decrypt(key, sealed, { associatedData: new Uint8Array([1, 2, 3]) })).toEqual(
      new Uint8Array(5),
    );
  });
});

describe('argument guards', () => {
  it('rejects bad keys and options with precise TypeError / RangeError', () => {
    expect(() => encryptStream(new Uint8Array(31))).toThrow(
      new RangeError('encryptStream: key must be 32 bytes, received 31'),
    );
    expect(() => encryptStream('k' as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => encryptStream(key, { segmentSize: 15 })).toThrow(RangeError);
    expect(() => encryptStream(key, { segmentSize: 16 * 1024 * 1024 + 1 })).toThrow(RangeError);
    expect(() => encryptStream(key, { inFlight: 0 })).toThrow(
      /inFlight must be an integer in \[1, 64\]/,
    );
    expect(() => encryptStream(key, { engine: 'rot13' as EngineName })).toThrow(TypeError);
    expect(() => encryptStream(key, { associatedData: 'x' as unknown as Uint8Array })).toThrow(
      TypeError,
    );
  });

  it('errors the stream on a chunk that is not a Uint8Array', async () => {
    const r = await runThrough(encryptStream(key), ['text' as unknown as Uint8Array]);
    expect(r.error).toBeInstanceOf(TypeError);
    expect((r.error as Error).message).toBe('encryptStream: every chunk must be a Uint8Array');
  });
});
