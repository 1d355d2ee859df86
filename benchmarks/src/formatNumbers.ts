import type { Summary } from './summarize.ts';

/**
 * A number rounded for a table: 3 significant digits below 100, whole numbers above.
 *
 * @example
 * ```ts
 * import { formatValue } from './formatNumbers.ts';
 * console.assert(formatValue(1917.6) === '1918' && formatValue(0.56789) === '0.568');
 * ```
 */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) >= 100) return Math.round(v).toString();
  return Number(v.toPrecision(3)).toString();
}

/**
 * `median (min–max)`, with an optional suffix on each number (e.g. `×`).
 *
 * @example
 * ```ts
 * import { formatSummary } from './formatNumbers.ts';
 * const s = formatSummary({ median: 0.5, min: 0.41, max: 0.612, n: 5 }, '×');
 * console.assert(s === '0.5× (0.41–0.612)');
 * ```
 */
export function formatSummary(s: Summary, suffix = ''): string {
  if (s.n === 1) return `${formatValue(s.median)}${suffix}`;
  return `${formatValue(s.median)}${suffix} (${formatValue(s.min)}–${formatValue(s.max)})`;
}

/**
 * Bytes as a short binary size: `64 KiB`, `1 MiB`, `1.5 GiB`.
 *
 * @example
 * ```ts
 * import { formatBytes } from './formatNumbers.ts';
 * console.assert(formatBytes(65536) === '64 KiB' && formatBytes(1 << 30) === '1 GiB');
 * ```
 */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${Number(v.toPrecision(4))} ${units[u]}`;
}
