import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from './parseBenchArgs.ts';
import { parseSize, parseSizeList } from './parseSizes.ts';

describe('parseBenchArgs', () => {
  it('defaults to full mode: 256 MiB, 5 rounds, warm-up, every suite', () => {
    expect(parseBenchArgs([], {})).toMatchObject({
      quick: false,
      filters: [],
      inputBytes: 256 * 2 ** 20,
      rounds: 5,
      warmup: true,
    });
  });
  it('quick mode from the flag or the environment', () => {
    expect(parseBenchArgs(['--quick'], {})).toMatchObject({
      quick: true,
      inputBytes: 64 * 2 ** 20,
      rounds: 3,
    });
    expect(parseBenchArgs([], { SEALSTREAM_BENCH_QUICK: '1' }).quick).toBe(true);
    expect(parseBenchArgs([], { SEALSTREAM_BENCH_QUICK: '0' }).quick).toBe(false);
    expect(parseBenchArgs(['--full'], { SEALSTREAM_BENCH_QUICK: '1' }).quick).toBe(false);
  });
  it('takes filters, sizes, rounds and suite knobs', () => {
    const a = parseBenchArgs(
      ['AEAD', '--', 'kdf', '--rounds', '7', '--input=1G', '--no-warmup', '--segments=64K,1M'],
      {
        SEALSTREAM_BENCH_ROUNDS: '2',
      },
    );
    expect(a).toMatchObject({
      filters: ['aead', 'kdf'],
      rounds: 7,
      inputBytes: 2 ** 30,
      warmup: false,
    });
    expect(a.options).toEqual({ segments: '64K,1M' });
    expect(
      parseBenchArgs([], { SEALSTREAM_BENCH_ROUNDS: '2', SEALSTREAM_BENCH_INPUT: '8M' }),
    ).toMatchObject({
      rounds: 2,
      inputBytes: 8 * 2 ** 20,
    });
  });
  it('refuses bad values with a message naming the option', () => {
    expect(() => parseBenchArgs(['--rounds=0'], {})).toThrow(/--rounds/);
    expect(() => parseBenchArgs(['--input=lots'], {})).toThrow(/lots/);
    expect(() => parseBenchArgs(['--segments'], {})).toThrow(/--segments needs a value/);
  });
});

describe('parseSize', () => {
  it('reads binary units', () => {
    expect(parseSize('64K')).toBe(65536);
    expect(parseSize('256kib')).toBe(262144);
    expect(parseSize('4M')).toBe(4 * 2 ** 20);
    expect(parseSize('1.5G')).toBe(1.5 * 2 ** 30);
    expect(parseSize('100')).toBe(100);
    expect(parseSizeList('1, 2,8')).toEqual([1, 2, 8]);
  });
  it('refuses garbage, zero and empty lists', () => {
    expect(() => parseSize('1X')).toThrow(/1X/);
    expect(() => parseSize('0')).toThrow(/> 0/);
    expect(() => parseSizeList(',')).toThrow(/empty/);
  });
});
