import { describe, expect, it } from 'vitest';
import { newestPerSuite, renderResult, type SavedResult } from './resultsTables.ts';

const result = (suite: string, mode: 'full' | 'quick', finishedAt: string): SavedResult => ({
  suite,
  mode,
  finishedAt,
  machine: { node: 'v20', cpuModel: 'CPU', cpus: 2, loadavg: [1], loadavgAfter: [2] },
  tables: [
    { title: 'First', columns: ['case', 'MB/s'], rows: [['a', '1']] },
    { title: 'Second', columns: ['case', 'MB/s'], rows: [['b', '2']] },
  ],
});

describe('resultsTables', () => {
  it('keeps the newest full run of each suite, else the newest quick one', () => {
    const picked = newestPerSuite([
      result('b', 'quick', '2026-01-02T00:00:00Z'),
      result('a', 'full', '2026-01-01T00:00:00Z'),
      result('a', 'quick', '2026-01-03T00:00:00Z'),
      result('a', 'full', '2026-01-02T00:00:00Z'),
    ]);
    expect(picked.map((r) => `${r.suite} ${r.mode} ${r.finishedAt}`)).toEqual([
      'a full 2026-01-02T00:00:00Z',
      'b quick 2026-01-02T00:00:00Z',
    ]);
  });

  it('renders the date, the machine and the first table, or every table', () => {
    const r = result('aead', 'full', '2026-12-06T06:16:06.000Z');
    const text = renderResult(r);
    expect(text).toContain('### `aead` — 2026-12-06 06:16 UTC');
    expect(text).toContain('full mode; CPU × 2, Node v20, load average 1 → 2.');
    expect(text).toContain('#### First');
    expect(text).not.toContain('Second');
    expect(renderResult(r, true)).toContain('#### Second');
  });
});
