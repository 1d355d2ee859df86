import { parseArgs } from 'node:util';
import { UsageError } from './UsageError.ts';

type Spec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;

/** The parsed values of a {@link Spec}: booleans, strings, or string lists for `multiple`. */
export type Values<S extends Spec> = {
  [K in keyof S]?: S[K]['type'] extends 'boolean'
    ? boolean
    : S[K]['multiple'] extends true
      ? string[]
      : string;
} & { help?: boolean };

/** `node:util` parseArgs in strict mode, with errors as {@link UsageError}. */
export function parse<S extends Spec>(
  argv: string[],
  options: S,
): { values: Values<S>; positionals: string[] } {
  try {
    const r = parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return { values: r.values as Values<S>, positionals: r.positionals };
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/\. To specify.*$/s, ''));
  }
}

/** At most one positional: the backup (LATEST or a subdirectory). */
export function backupName(positionals: string[]): string | undefined {
  if (positionals.length > 1)
    throw new UsageError(`expected at most one backup name, got ${positionals.length}`);
  return positionals[0];
}

/** A required option. */
export function required<T>(value: T | undefined, flag: string): T {
  if (value === undefined || (Array.isArray(value) && value.length === 0))
    throw new UsageError(`${flag} is required`);
  return value;
}
