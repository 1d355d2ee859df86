const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gib: 1024 ** 3,
};

/**
 * A byte size like `64K`, `256KiB`, `1M`, `4MiB`, `1G` or `65536` (binary units).
 *
 * @example
 * ```ts
 * import { parseSize } from './parseSizes.ts';
 * console.assert(parseSize('64K') === 65536 && parseSize('1MiB') === 1048576);
 * ```
 */
export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = UNITS[(m?.[2] ?? '').toLowerCase()];
  if (!m || unit === undefined) {
    throw new RangeError(
      `Cannot parse size "${text}": expected a number with an optional K, M or G suffix`,
    );
  }
  const n = Math.round(Number(m[1]) * unit);
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new RangeError(`Cannot use size "${text}": must be > 0`);
  return n;
}

/**
 * A comma-separated list of sizes (`64K,1M`) or of plain integers (`1,2,4`).
 *
 * @example
 * ```ts
 * import { parseSizeList } from './parseSizes.ts';
 * console.assert(parseSizeList('1,2,4').join() === '1,2,4');
 * ```
 */
export function parseSizeList(text: string): number[] {
  const parts = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (parts.length === 0) throw new RangeError(`Cannot parse an empty list: "${text}"`);
  return parts.map(parseSize);
}
