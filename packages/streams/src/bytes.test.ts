import { describe, expect, it } from 'vitest';
import { collect } from './collect.ts';
import { concatBytes } from './concatBytes.ts';
import { equalBytes } from './equalBytes.ts';
import { fromBytes } from './fromBytes.ts';

describe('byte helpers', () => {
  it('fromBytes yields views of the given size; collect joins them', async () => {
    const bytes = new Uint8Array(10).map((_, i) => i);
    const chunks: Uint8Array[] = [];
    await fromBytes(bytes, 4).pipeTo(new WritableStream({ write: (c) => void chunks.push(c) }));
    expect(chunks.map((c) => c.length)).toEqual([4, 4, 2]);
    expect(chunks[0]?.buffer).toBe(bytes.buffer);
    expect(await collect(fromBytes(bytes, 3))).toEqual(bytes);
    expect(await collect(fromBytes(new Uint8Array(0)))).toEqual(new Uint8Array(0));
    expect(() => fromBytes(bytes, 0)).toThrow(RangeError);
  });

  it('collect enforces maxBytes and cancels the source', async () => {
    let cancelled: unknown;
    const source = new ReadableStream<Uint8Array>({
      pull: (c) => c.enqueue(new Uint8Array(10)),
      cancel: (r) => {
        cancelled = r;
      },
    });
    await expect(collect(source, { maxBytes: 25 })).rejects.toThrow(
      'collect: stream exceeds maxBytes (25)',
    );
    expect(cancelled).toBeInstanceOf(RangeError);
  });

  it('concatBytes copies and joins; equalBytes compares', () => {
    const a = new Uint8Array([1, 2]);
    const joined = concatBytes(a, new Uint8Array(0), new Uint8Array([3]));
    expect([...joined]).toEqual([1, 2, 3]);
    const copy = concatBytes(a);
    copy[0] = 9;
    expect(a[0]).toBe(1);
    expect(equalBytes(a, new Uint8Array([1, 2]))).toBe(true);
    expect(equalBytes(a, new Uint8Array([1, 3]))).toBe(false);
    expect(equalBytes(a, new Uint8Array([1]))).toBe(false);
    expect(() => concatBytes('x' as never)).toThrow(
      'concatBytes: argument 0 must be a Uint8Array, received string',
    );
    expect(() => equalBytes(a, [1, 2] as never)).toThrow(TypeError);
  });
});
