/** Binary units: 1 KiB = 1024 bytes. */
export const KiB = 1024;
export const MiB = 1024 * KiB;

const UNITS: Record<string, number> = { '': 1, k: KiB, m: MiB, g: 1024 * MiB };

/**
 * A byte size such as `64K`, `256KiB`, `1M`, `1G` or `65536` (binary units).
 *
 * @example
 * ```ts
 * import { parseSize } from './sizes.ts';
 * console.assert(parseSize('64K') === 65536 && parseSize('1MiB') === 1048576);
 * ```
 */
export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?$/i.exec(text.trim());
  const n = m ? Math.round(Number(m[1]) * (UNITS[(m[2] ?? '').toLowerCase()] ?? 1)) : 0;
  if (!(n > 0)) throw new RangeError(`Cannot read "${text}" as a size: expected e.g. 64K, 1M, 1G`);
  return n;
}

/** A byte count in the largest binary unit that keeps it readable: `64 KiB`, `1.5 GiB`. */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let u = 0;
  while (n >= 1024 ** (u + 1) && u < units.length - 1) u++;
  return `${Number((n / 1024 ** u).toPrecision(4))} ${units[u]}`;
}
