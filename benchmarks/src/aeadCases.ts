import { formatBytes } from './formatNumbers.ts';
import type { AeadEngine, AeadEngineObject } from './loadAead.ts';
import { parseSizeList } from './parseSizes.ts';

/** One configuration of encryptStream / decryptStream to time. `undefined` = the library default. */
export interface AeadCase {
  readonly label: string;
  readonly engine: AeadEngine | AeadEngineObject | undefined;
  readonly segmentSize: number | undefined;
  readonly inFlight: number | undefined;
}

/** The full matrix: segment sizes × segments in flight × engines. */
export const FULL_SEGMENTS = [64 * 1024, 256 * 1024, 1024 * 1024, 4 * 1024 * 1024];
export const FULL_IN_FLIGHT = [1, 2, 4, 8];
export const FULL_ENGINES: readonly AeadEngine[] = ['node', 'webcrypto'];

/** The case with no options at all: what a user gets. */
export const DEFAULT_CASE: AeadCase = {
  label: 'default options',
  engine: undefined,
  segmentSize: undefined,
  inFlight: undefined,
};

/**
 * The cases to time. Full mode: the default case plus every engine × segment size × in-flight
 * count. Quick mode: the default case plus, per engine, the default segment size at the default
 * in-flight count and at 1, and 256 KiB segments at the default in-flight count. `--segments`,
 * `--in-flight` and `--engines` replace the corresponding list (the cross product is taken).
 *
 * @example
 * ```ts
 * import { aeadCases } from './aeadCases.ts';
 * const cases = aeadCases({ quick: false, defaultSegment: 1 << 20, defaultInFlight: 4, options: {} });
 * console.assert(cases.length === 1 + 2 * 4 * 4);
 * ```
 */
export function aeadCases(config: {
  quick: boolean;
  defaultSegment: number;
  defaultInFlight: number;
  options: Readonly<Record<string, string>>;
}): AeadCase[] {
  const { quick, defaultSegment, defaultInFlight, options } = config;
  const engines = options.engines === undefined ? FULL_ENGINES : parseEngines(options.engines);
  const custom = options.segments !== undefined || options['in-flight'] !== undefined;
  const tuples: [AeadEngine, number, number][] = [];
  if (!quick || custom) {
    const segments =
      options.segments === undefined
        ? quick
          ? [defaultSegment]
          : FULL_SEGMENTS
        : parseSizeList(options.segments);
    const inFlight =
      options['in-flight'] === undefined
        ? quick
          ? [defaultInFlight]
          : FULL_IN_FLIGHT
        : parseSizeList(options['in-flight']);
    for (const e of engines)
      for (const s of segments) for (const k of inFlight) tuples.push([e, s, k]);
  } else {
    for (const e of engines) {
      tuples.push(
        [e, defaultSegment, defaultInFlight],
        [e, defaultSegment, 1],
        [e, 256 * 1024, defaultInFlight],
      );
    }
  }
  const seen = new Set<string>();
  const cases: AeadCase[] = [DEFAULT_CASE];
  for (const [engine, segmentSize, inFlight] of tuples) {
    const label = `${engine} ${formatBytes(segmentSize)} ×${inFlight}`;
    if (seen.has(label)) continue;
    seen.add(label);
    cases.push({ label, engine, segmentSize, inFlight });
  }
  return cases;
}

function parseEngines(text: string): AeadEngine[] {
  const known: readonly string[] = ['node', 'webcrypto', 'noble'];
  return text.split(',').map((e) => {
    const name = e.trim();
    if (!known.includes(name))
      throw new RangeError(`Unknown engine "${name}": expected node, webcrypto or noble`);
    return name as AeadEngine;
  });
}
