import { parseArgs } from 'node:util';
import { UsageError } from './UsageError.ts';
import { KMS_URI_OPTIONS, STORAGE_URI_OPTIONS, uriValues } from './uriArgs.ts';

export type Spec = Record<
  string,
  { type: 'string' | 'boolean'; multiple?: boolean; short?: string }
>;

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
  // Every command that names a collection also takes --collection (its own name stays).
  const own = STORAGE_URI_OPTIONS.find((o) => o in options);
  const collection = own === undefined ? {} : { collection: { type: 'string', multiple: true } };
  try {
    const r = parseArgs({
      args: argv,
      options: { ...options, ...collection, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    const values: Record<string, unknown> = { ...r.values };
    if (own !== undefined && values.collection !== undefined) {
      if (values[own] !== undefined)
        throw new UsageError(`--collection and --${own} name the same thing: give one`);
      const given = values.collection as string[];
      if (options[own]?.multiple !== true && given.length > 1)
        throw new UsageError('--collection takes one URI here');
      values[own] = options[own]?.multiple === true ? given : given[0];
      delete values.collection;
    }
    return { values: expandUris(values, options) as Values<S>, positionals: r.positionals };
  } catch (e) {
    if (e instanceof Error && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS'))
      throw new UsageError(e.message.replace(/\. To specify.*$/s, ''));
    throw e;
  }
}

/** Every storage or KMS URI option's values through {@link uriValues} (`@FILE`, secret warning). */
function expandUris(values: Record<string, unknown>, spec: Spec): Record<string, unknown> {
  const out = { ...values };
  for (const option of [...STORAGE_URI_OPTIONS, ...KMS_URI_OPTIONS]) {
    const v = out[option];
    if (typeof v === 'string') {
      const uris = uriValues(option, v);
      if (uris.length !== 1 && spec[option]?.multiple !== true)
        throw new UsageError(`--${option} takes one URI; the file names ${uris.length}`);
      out[option] = spec[option]?.multiple === true ? uris : uris[0];
    } else if (Array.isArray(v)) out[option] = v.flatMap((x: string) => uriValues(option, x));
  }
  return out;
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
