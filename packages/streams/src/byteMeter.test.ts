import { describe, expect, it } from 'vitest';
import { byteMeter } from './byteMeter.ts';
import { collect } from './collect.ts';
import { fromBytes } from './fromBytes.ts';

describe('byteMeter', () => {
  it('passes chunks through untouched, counts bytes and always reports the final total', async () => {
    const calls: number[] = [];
    const input = new Uint8Array(1000).map((_, i) => i);
    const meter = byteMeter((n) => calls.push(n), { intervalMs: 60_000 });
    const out = await collect(fromBytes(input, 100).pipeThrough(meter));
    expect(out).toEqual(input);
    expect(meter.bytes).toBe(1000);
    // Throttled: the first chunk reports, then nothing until the end.
    expect(calls).toEqual([100, 1000]);
  });

  it('reports every chunk with intervalMs 0, monotonically', async () => {
    const calls: number[] = [];
    await collect(
      fromBytes(new Uint8Array(10), 3).pipeThrough(
        byteMeter((n) => calls.push(n), { intervalMs: 0 }),
      ),
    );
    expect(calls).toEqual([3, 6, 9, 10, 10]);
  });

  it('checks its arguments', () => {
    expect(() => byteMeter('x' as never)).toThrow(TypeError);
    expect(() => byteMeter(undefined, { intervalMs: -1 })).toThrow(RangeError);
  });
});
