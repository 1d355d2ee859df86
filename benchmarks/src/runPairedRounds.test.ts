import { describe, expect, it } from 'vitest';
import { pairedRatio } from './pairedRatio.ts';
import { runPairedRounds } from './runPairedRounds.ts';

const busy = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
};

describe('runPairedRounds', () => {
  it('runs every variant once per round plus a warm-up, rotating the order', async () => {
    const calls: string[] = [];
    const checks: string[] = [];
    const variants = ['a', 'b', 'c'].map((name) => ({
      name,
      bytes: 1000,
      run: () => void calls.push(name),
      check: () => void checks.push(name),
    }));
    const result = await runPairedRounds(variants, { rounds: 3, loadAverage: () => 0.5 });
    expect(checks).toEqual(['a', 'b', 'c']);
    expect(calls).toEqual(['a', 'b', 'c', 'b', 'c', 'a', 'c', 'a', 'b', 'a', 'b', 'c']);
    expect(result.variants.map((v) => v.ms.length)).toEqual([3, 3, 3]);
    expect(result.loadBeforeRound).toEqual([0.5, 0.5, 0.5]);
  });

  it('measures wall-clock time of each run, and MB/s from it', async () => {
    const result = await runPairedRounds(
      [
        { name: 'fast', bytes: 1e6, run: () => busy(10) },
        { name: 'slow', bytes: 1e6, run: () => busy(40) },
      ],
      { rounds: 3, warmup: false },
    );
    // A spin cannot end before its deadline; how much later it ends depends on the machine,
    // so only lower bounds on time (upper bounds on MB/s) are asserted.
    const [fast, slow] = result.variants;
    expect(fast?.msSummary.min).toBeGreaterThanOrEqual(9.5);
    expect(slow?.msSummary.min).toBeGreaterThanOrEqual(39.5);
    expect(slow?.mbpsSummary?.max).toBeLessThanOrEqual(1 / 0.0395);
    for (const [i, ms] of (slow?.ms ?? []).entries())
      expect(slow?.mbps?.[i]).toBeCloseTo(1 / (ms / 1000), 6);
    expect(pairedRatio(result, 'slow', 'fast').perRound).toHaveLength(3);
  });

  it('runs before and after hooks around each run, outside the timed window', async () => {
    const events: string[] = [];
    const result = await runPairedRounds(
      [
        {
          name: 'x',
          before: () => {
            events.push('before');
            busy(300);
          },
          run: () => void events.push('run'),
          after: async () => {
            events.push('after');
            await new Promise((r) => setTimeout(r, 300));
          },
        },
      ],
      { rounds: 2, warmup: false },
    );
    expect(events).toEqual(['before', 'run', 'after', 'before', 'run', 'after']);
    // Had either hook been timed, a run would take at least 300 ms.
    expect(result.variants[0]?.msSummary.max).toBeLessThan(300);
  });

  it('reads the CPU clock around each timed run only', async () => {
    let clock = 0;
    const result = await runPairedRounds(
      [
        {
          name: 'x',
          before: () => {
            clock += 1000;
          },
          run: () => {
            clock += 7;
          },
          after: () => {
            clock += 1000;
          },
        },
      ],
      { rounds: 2, cpuClock: () => clock },
    );
    expect(result.variants[0]?.cpuMs).toEqual([7, 7]);
    const without = await runPairedRounds([{ name: 'y', run: () => {} }], { rounds: 1 });
    expect(without.variants[0]?.cpuMs).toBeUndefined();
  });

  it('awaits asynchronous variants', async () => {
    const result = await runPairedRounds(
      [{ name: 'sleep', run: () => new Promise((r) => setTimeout(r, 15)) }],
      { rounds: 2, warmup: false },
    );
    expect(result.variants[0]?.msSummary.min).toBeGreaterThanOrEqual(14);
    expect(result.variants[0]?.mbps).toBeUndefined();
  });

  it('propagates a failing variant or check, and refuses bad arguments', async () => {
    const boom = () => {
      throw new Error('boom');
    };
    await expect(runPairedRounds([{ name: 'x', run: boom }], { rounds: 1 })).rejects.toThrow(
      /boom/,
    );
    await expect(
      runPairedRounds([{ name: 'x', run: () => {}, check: boom }], { rounds: 1 }),
    ).rejects.toThrow(/boom/);
    await expect(runPairedRounds([], { rounds: 1 })).rejects.toThrow(/without variants/);
    await expect(runPairedRounds([{ name: 'x', run: () => {} }], { rounds: 0 })).rejects.toThrow(
      /rounds/,
    );
    const twice = [
      { name: 'x', run: () => {} },
      { name: 'x', run: () => {} },
    ];
    await expect(runPairedRounds(twice, { rounds: 1 })).rejects.toThrow(/Duplicate/);
  });
});
