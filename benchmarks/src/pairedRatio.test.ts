import { describe, expect, it } from 'vitest';
import { pairedRatio } from './pairedRatio.ts';
import type { PairedResult } from './runPairedRounds.ts';
import { summarize } from './summarize.ts';

function result(
  variants: { name: string; bytes?: number; ms: number[]; cpuMs?: number[] }[],
): PairedResult {
  return {
    rounds: variants[0]?.ms.length ?? 0,
    loadBeforeRound: [],
    variants: variants.map((v) => ({
      name: v.name,
      bytes: v.bytes,
      ms: v.ms,
      mbps: undefined,
      msSummary: summarize(v.ms),
      mbpsSummary: undefined,
      cpuMs: v.cpuMs,
      cpuMsSummary: v.cpuMs ? summarize(v.cpuMs) : undefined,
    })),
  };
}

describe('pairedRatio', () => {
  it('divides throughputs round by round, not medians', () => {
    // Round 2 is slow for both: paired ratios stay at 2 although the medians would mislead.
    const r = result([
      { name: 'ours', bytes: 100, ms: [10, 100, 12] },
      { name: 'ceiling', bytes: 100, ms: [20, 200, 24] },
    ]);
    expect(pairedRatio(r, 'ours', 'ceiling')).toMatchObject({
      perRound: [2, 2, 2],
      median: 2,
      min: 2,
      max: 2,
    });
  });
  it('compares CPU time when asked, and says when it was not measured', () => {
    const r = result([
      { name: 'ours', bytes: 100, ms: [10, 10], cpuMs: [16, 20] },
      { name: 'ceiling', bytes: 100, ms: [10, 10], cpuMs: [8, 10] },
      { name: 'other', bytes: 100, ms: [10, 10] },
    ]);
    expect(pairedRatio(r, 'ours', 'ceiling', 'cpu').perRound).toEqual([0.5, 0.5]);
    expect(pairedRatio(r, 'ours', 'ceiling').perRound).toEqual([1, 1]);
    expect(() => pairedRatio(r, 'other', 'ceiling', 'cpu')).toThrow(/CPU time: not measured/);
  });

  it('accounts for different input sizes', () => {
    const r = result([
      { name: 'small', bytes: 10, ms: [10] },
      { name: 'big', bytes: 100, ms: [10] },
    ]);
    expect(pairedRatio(r, 'small', 'big').median).toBeCloseTo(0.1);
  });
  it('uses inverse time for latency-only variants', () => {
    const r = result([
      { name: 'a', ms: [100] },
      { name: 'b', ms: [50] },
    ]);
    expect(pairedRatio(r, 'a', 'b').median).toBe(0.5);
  });
  it('names the missing variant, and refuses to mix bytes and latency', () => {
    const r = result([
      { name: 'a', bytes: 1, ms: [1] },
      { name: 'b', ms: [1] },
    ]);
    expect(() => pairedRatio(r, 'a', 'zzz')).toThrow(/No variant named "zzz" .*have: a, b/);
    expect(() => pairedRatio(r, 'a', 'b')).toThrow(/only one of them counts bytes/);
  });
});
