import { describe, expect, it } from 'vitest';
import { formatBytes, formatSummary, formatValue } from './formatNumbers.ts';
import { renderTable } from './renderTable.ts';

describe('formatting', () => {
  it('rounds numbers for tables', () => {
    expect(formatValue(1917.6)).toBe('1918');
    expect(formatValue(89.23)).toBe('89.2');
    expect(formatValue(0.0712)).toBe('0.0712');
    expect(formatSummary({ median: 1.04, min: 0.9, max: 1.2, n: 5 }, '×')).toBe('1.04× (0.9–1.2)');
    expect(formatSummary({ median: 3, min: 3, max: 3, n: 1 })).toBe('3');
    expect(formatBytes(256 * 1024)).toBe('256 KiB');
    expect(formatBytes(3 * 2 ** 29)).toBe('1.5 GiB');
  });
  it('renders aligned markdown and refuses ragged rows', () => {
    const text = renderTable({
      title: 'T',
      columns: ['case', 'MB/s'],
      rows: [['longer case', '1']],
    });
    expect(text.split('\n')).toEqual([
      '### T',
      '',
      '| case        | MB/s |',
      '|---|---:|',
      '| longer case |    1 |',
      '',
    ]);
    expect(() => renderTable({ title: 'T', columns: ['a', 'b'], rows: [['x']] })).toThrow(
      /1 cells, expected 2/,
    );
  });
});
