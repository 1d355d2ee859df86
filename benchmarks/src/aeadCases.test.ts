import { describe, expect, it } from 'vitest';
import { aeadCases, DEFAULT_CASE } from './aeadCases.ts';

const base = { defaultSegment: 1 << 20, defaultInFlight: 4 };

describe('aeadCases', () => {
  it('full mode is the default case plus 2 engines × 4 segment sizes × 4 in-flight counts', () => {
    const cases = aeadCases({ ...base, quick: false, options: {} });
    expect(cases).toHaveLength(33);
    expect(cases[0]).toBe(DEFAULT_CASE);
    expect(new Set(cases.map((c) => c.label)).size).toBe(33);
    expect(
      cases
        .filter((c) => c.engine === 'webcrypto' && c.segmentSize === 64 * 1024)
        .map((c) => c.inFlight),
    ).toEqual([1, 2, 4, 8]);
  });
  it('quick mode keeps the defaults and a few neighbours, without duplicates', () => {
    const cases = aeadCases({ ...base, quick: true, options: {} });
    expect(cases.map((c) => c.label)).toEqual([
      'default options',
      'node 1 MiB ×4',
      'node 1 MiB ×1',
      'node 256 KiB ×4',
      'webcrypto 1 MiB ×4',
      'webcrypto 1 MiB ×1',
      'webcrypto 256 KiB ×4',
    ]);
    const one = aeadCases({
      defaultSegment: 1 << 20,
      defaultInFlight: 1,
      quick: true,
      options: {},
    });
    expect(one).toHaveLength(5);
  });
  it('takes the lists from the command line', () => {
    const cases = aeadCases({
      ...base,
      quick: true,
      options: { segments: '64K,4M', 'in-flight': '2', engines: 'webcrypto' },
    });
    expect(cases.map((c) => c.label)).toEqual([
      'default options',
      'webcrypto 64 KiB ×2',
      'webcrypto 4 MiB ×2',
    ]);
    expect(() => aeadCases({ ...base, quick: true, options: { engines: 'rot13' } })).toThrow(
      /Unknown engine "rot13"/,
    );
  });
});
