import { KdfError } from './KdfError.ts';
import { DEFAULT_KDF_LIMITS, type KdfLimits } from './KdfLimits.ts';
import type { KdfParams } from './KdfParams.ts';

const ARGON2_FIELDS = ['algorithm', 'memoryKiB', 'iterations', 'parallelism', 'salt'];
const PBKDF2_FIELDS = ['algorithm', 'iterations', 'salt'];

function invalid(message: string): KdfError {
  return new KdfError('ERR_KDF_PARAMS_INVALID', `Invalid KDF parameters: ${message}`);
}

function outOfBounds(message: string): KdfError {
  return new KdfError('ERR_KDF_PARAMS_OUT_OF_BOUNDS', `KDF parameters out of bounds: ${message}`);
}

function positiveInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw invalid(`${name} must be a positive integer, received ${describe(value)}`);
  }
  return value;
}

/** A short, secret-free description of a value for error messages. */
export function describe(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string')
    return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  return typeof value;
}

/**
 * Checks that `params` is a well-formed {@link KdfParams} within `limits` and returns a normalised
 * copy (the salt is copied). Throws {@link KdfError} `ERR_KDF_PARAMS_INVALID` for a malformed
 * value (unknown algorithm, missing or extra field, non-integer, Argon2 memory below
 * 8 × parallelism) and `ERR_KDF_PARAMS_OUT_OF_BOUNDS` for a value beyond `limits`. Cheap: it
 * does no derivation, so call it before any work.
 *
 * @example
 * ```ts
 * import { checkKdfParams } from '@sealstream/kdf';
 * const ok = checkKdfParams({ algorithm: 'pbkdf2-sha256', iterations: 600_000, salt: new Uint8Array(16) });
 * console.log(ok.iterations); // 600000
 * ```
 */
export function checkKdfParams(params: KdfParams, limits: Partial<KdfLimits> = {}): KdfParams {
  const lim: KdfLimits = { ...DEFAULT_KDF_LIMITS, ...limits };
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw invalid(`expected an object, received ${describe(params)}`);
  }
  const algorithm: unknown = (params as { algorithm?: unknown }).algorithm;
  const fields =
    algorithm === 'argon2id'
      ? ARGON2_FIELDS
      : algorithm === 'pbkdf2-sha256'
        ? PBKDF2_FIELDS
        : undefined;
  if (fields === undefined) {
    throw invalid(
      `algorithm must be "argon2id" or "pbkdf2-sha256", received ${describe(algorithm)}`,
    );
  }
  for (const key of Object.keys(params)) {
    if (!fields.includes(key))
      throw invalid(`unknown field ${JSON.stringify(key)} for ${algorithm}`);
  }
  const salt: unknown = params.salt;
  if (!(salt instanceof Uint8Array))
    throw invalid(`salt must be a Uint8Array, received ${describe(salt)}`);
  if (salt.length < lim.minSaltBytes || salt.length > lim.maxSaltBytes) {
    throw outOfBounds(
      `salt is ${salt.length} bytes, allowed ${lim.minSaltBytes}..${lim.maxSaltBytes}`,
    );
  }
  const iterations = positiveInteger(params.iterations, 'iterations');
  if (params.algorithm === 'pbkdf2-sha256') {
    if (iterations > lim.maxPbkdf2Iterations) {
      throw outOfBounds(
        `pbkdf2-sha256 iterations ${iterations} exceed the limit ${lim.maxPbkdf2Iterations}`,
      );
    }
    return { algorithm: 'pbkdf2-sha256', iterations, salt: salt.slice() };
  }
  const memoryKiB = positiveInteger(params.memoryKiB, 'memoryKiB');
  const parallelism = positiveInteger(params.parallelism, 'parallelism');
  if (parallelism > lim.maxArgon2Parallelism) {
    throw outOfBounds(
      `argon2id parallelism ${parallelism} exceeds the limit ${lim.maxArgon2Parallelism}`,
    );
  }
  if (iterations > lim.maxArgon2Iterations) {
    throw outOfBounds(
      `argon2id iterations ${iterations} exceed the limit ${lim.maxArgon2Iterations}`,
    );
  }
  if (memoryKiB > lim.maxArgon2MemoryKiB) {
    throw outOfBounds(
      `argon2id memoryKiB ${memoryKiB} exceeds the limit ${lim.maxArgon2MemoryKiB}`,
    );
  }
  if (memoryKiB < 8 * parallelism) {
    throw invalid(
      `argon2id memoryKiB ${memoryKiB} is below 8 × parallelism (${8 * parallelism}), RFC 9106 §3.1`,
    );
  }
  return { algorithm: 'argon2id', memoryKiB, iterations, parallelism, salt: salt.slice() };
}
