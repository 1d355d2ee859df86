import { ManifestError } from './ManifestError.ts';

/**
 * Tiny strict readers for JSON read back from storage: every field is checked for type and
 * range, and unknown fields are refused, so a hostile or corrupted file gives a clear error.
 */
export class StrictReader {
  readonly #file: string | undefined;
  readonly #path: string;
  readonly #value: Record<string, unknown>;
  readonly #seen = new Set<string>();

  constructor(value: unknown, path: string, file?: string) {
    this.#file = file;
    this.#path = path;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw this.fail(`${path} must be an object`);
    }
    this.#value = value as Record<string, unknown>;
  }

  fail(message: string): ManifestError {
    return new ManifestError(
      'ERR_MANIFEST_INVALID',
      message,
      this.#file ? { file: this.#file } : {},
    );
  }

  #get(name: string): unknown {
    this.#seen.add(name);
    return this.#value[name];
  }

  has(name: string): boolean {
    return this.#value[name] !== undefined;
  }

  string(name: string, options: { max?: number; pattern?: RegExp } = {}): string {
    const v = this.#get(name);
    const max = options.max ?? 4096;
    if (typeof v !== 'string' || v.length > max) {
      throw this.fail(`${this.#path}.${name} must be a string of at most ${max} characters`);
    }
    if (options.pattern && !options.pattern.test(v)) {
      throw this.fail(`${this.#path}.${name} has an invalid format`);
    }
    return v;
  }

  optionalString(
    name: string,
    options: { max?: number; pattern?: RegExp } = {},
  ): string | undefined {
    if (this.has(name)) return this.string(name, options);
    this.#get(name);
    return undefined;
  }

  integer(name: string, min: number, max: number): number {
    const v = this.#get(name);
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
      throw this.fail(`${this.#path}.${name} must be an integer in [${min}, ${max}]`);
    }
    return v;
  }

  optionalInteger(name: string, min: number, max: number): number | undefined {
    if (this.has(name)) return this.integer(name, min, max);
    this.#get(name);
    return undefined;
  }

  oneOf<T extends string>(name: string, values: readonly T[]): T {
    const v = this.#get(name);
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
      throw this.fail(`${this.#path}.${name} must be one of ${values.join(', ')}`);
    }
    return v as T;
  }

  array(name: string, maxLength: number): unknown[] {
    const v = this.#get(name);
    if (!Array.isArray(v) || v.length > maxLength) {
      throw this.fail(`${this.#path}.${name} must be an array of at most ${maxLength} items`);
    }
    return v;
  }

  object(name: string): StrictReader {
    return new StrictReader(this.#get(name), `${this.#path}.${name}`, this.#file);
  }

  /** The raw value of a free-form field (validated by its owner). */
  raw(name: string): unknown {
    return this.#get(name);
  }

  /** Refuses fields that were not read. */
  done(): void {
    for (const key of Object.keys(this.#value)) {
      if (!this.#seen.has(key)) throw this.fail(`${this.#path} has an unknown field "${key}"`);
    }
  }
}

/** Parses JSON text, turning a syntax error into a {@link ManifestError}. */
export function parseJson(text: string, file?: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ManifestError('ERR_MANIFEST_INVALID', 'not valid JSON', {
      ...(file ? { file } : {}),
      cause,
    });
  }
}

/**
 * Whether `value` (a parsed JSON value) nests objects and arrays at most `max` levels deep,
 * checked without recursion, so a hostile 100k-deep value is refused here instead of
 * overflowing the stack later (in `JSON.stringify` when the file is written back).
 */
export function jsonDepthWithin(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (typeof v !== 'object' || v === null) continue;
    if (depth + 1 > max) return false;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return true;
}
