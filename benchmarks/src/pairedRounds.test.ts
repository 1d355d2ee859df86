import { describe, expect, it } from 'vitest';
import { median, type PairedResult, pairedRatio, runPairedRounds } from './pairedRounds.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('runPairedRounds', () => {
  it('checks first, then runs every contender once per round, rotating the order', async () => {
    const calls: string[] = [];
    const contenders = ['a', 'b', 'c'].map((name) => ({
      name,
      run: () => void calls.push(name),
      check: () => void calls.push(`check ${name}`),
    }));
    const result = await runPairedRounds(contenders, { rounds: 3 });
    expect(calls.join(' ')).toBe('check a check b check c a b c b c a c a b a b c');
    expect(result.contenders.map((c) => c.ms.length)).toEqual([3, 3, 3]);
  });

  it('times the run only, not its before and after hooks', async () => {
    const result = await runPairedRounds(
      [{ name: 'x', before: () => sleep(200), run: () => sleep(20), after: () => sleep(200) }],
      { rounds: 2, warmup: false },
    );
    for (const ms of result.contenders[0]?.ms ?? []) expect(ms).toBeGreaterThanOrEqual(19);
    for (const ms of result.contenders[0]?.ms ?? []) expect(ms).toBeLessThan(200);
  });

  it('propagates a failing job or check, and refuses bad arguments', async () => {
    const boom = () => {
      throw new Error('boom');
    };
    await expect(runPairedRounds([{ name: 'x', run: boom }], { rounds: 1 })).rejects.toThrow();
    await expect(
      runPairedRounds([{ name: 'x', run: () => {}, check: boom }], { rounds: 1 }),
    ).rejects.toThrow(/boom/);
    await expect(runPairedRounds([], { rounds: 1 })).rejects.toThrow(/non-empty/);
    await expect(runPairedRounds([{ name: 'x', run: () => {} }], { rounds: 0 })).rejects.toThrow(
      /rounds/,
    );
    const twice = [
      { name: 'x', run: () => {} },
      { name: 'x', run: () => {} },
    ];
    await expect(runPairedRounds(twice, { rounds: 1 })).rejects.toThrow(/unique/);
  });
});

describe('pairedRatio', () => {
  const result = (
    ...contenders: { name: string; bytes?: number; ms: number[] }[]
  ): PairedResult => ({
    rounds: contenders[0]?.ms.length ?? 0,
    contenders,
  });

  it('divides throughputs round by round, so a slow round for both leaves the ratio alone', () => {
    const r = result(
      { name: 'ours', bytes: 100, ms: [10, 100, 12] },
      { name: 'ceiling', bytes: 100, ms: [20, 200, 24] },
    );
    expect(pairedRatio(r, 'ours', 'ceiling')).toEqual([2, 2, 2]);
    // The ratio of the medians would say 2 here too, but not in general: 12 ms / 24 ms vs 100 / 20.
    expect(pairedRatio(r, 'ceiling', 'ours')).toEqual([0.5, 0.5, 0.5]);
  });

  it('accounts for different input sizes, and uses inverse time without bytes', () => {
    expect(
      pairedRatio(
        result({ name: 's', bytes: 10, ms: [10] }, { name: 'b', bytes: 100, ms: [10] }),
        's',
        'b',
      ),
    ).toEqual([0.1]);
    expect(
      pairedRatio(result({ name: 'a', ms: [100] }, { name: 'b', ms: [50] }), 'a', 'b'),
    ).toEqual([0.5]);
  });

  it('names a missing contender, and refuses to mix bytes and latency', () => {
    const r = result({ name: 'a', bytes: 1, ms: [1] }, { name: 'b', ms: [1] });
    expect(() => pairedRatio(r, 'a', 'zzz')).toThrow(/No contender named "zzz" \(have: a, b\)/);
    expect(() => pairedRatio(r, 'a', 'b')).toThrow(/only one of them counts bytes/);
  });

  it('takes the median of odd and even counts', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
