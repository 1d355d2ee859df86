import { parseArgs } from 'node:util';
import { UsageError } from './UsageError.ts';

type Spec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;

/** `node:util` parseArgs in strict mode, with errors as {@link UsageError}. */
export function parse<S extends Spec>(argv: string[], options: S) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/\. To specify.*$/s, ''));
  }
}

/** At most one positional: the backup (LATEST or a subdirectory). */
export function backupName(positionals: string[]): string | undefined {
  if (positionals.length > 1) throw new UsageError(`expected at most one backup name, got ${positionals.length}`);
  return positionals[0];
}

/** A required option. */
export function required<T>(value: T | undefined, flag: string): T {
  if (value === undefined || (Array.isArray(value) && value.length === 0)) throw new UsageError(`${flag} is required`);
  return value;
}
