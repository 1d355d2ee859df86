import type * as AeadModule from '@sealstream/aead';

/** AEAD engines named by `@sealstream/aead`. */
export type AeadEngine = 'webcrypto' | 'noble' | 'node';

/** An engine object made by the package, e.g. `createNodeEngine({ workers: 0 })`; opaque here. */
export type AeadEngineObject = object;

/** Options of `encryptStream` that the benchmarks vary. */
export interface EncryptOptions {
  associatedData?: Uint8Array;
  segmentSize?: number;
  inFlight?: number;
  engine?: AeadEngine | AeadEngineObject;
}

/** Options of `decryptStream` that the benchmarks vary. */
export interface DecryptOptions {
  associatedData?: Uint8Array;
  inFlight?: number;
  engine?: AeadEngine | AeadEngineObject;
}

/** The part of `@sealstream/aead` the benchmarks use. */
export interface AeadApi {
  encryptStream(key: Uint8Array, options?: EncryptOptions): TransformStream<Uint8Array, Uint8Array>;
  decryptStream(key: Uint8Array, options?: DecryptOptions): TransformStream<Uint8Array, Uint8Array>;
  readonly DEFAULT_SEGMENT_SIZE: number;
  readonly DEFAULT_IN_FLIGHT: number;
}

/**
 * Imports `@sealstream/aead` and checks that it has the API the benchmarks drive. Returns the
 * API, or a sentence saying what is missing — the suites print it loudly instead of timing
 * nothing.
 *
 * @example
 * ```ts
 * import { loadAead } from './loadAead.ts';
 * const aead = await loadAead();
 * if (typeof aead === 'string') console.error(`aead not benchmarked: ${aead}`);
 * ```
 */
export async function loadAead(): Promise<AeadApi | string> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import('@sealstream/aead')) as Record<string, unknown>;
  } catch (e) {
    return `@sealstream/aead failed to load: ${(e as Error).message}`;
  }
  const missing = [
    ['encryptStream', 'function'],
    ['decryptStream', 'function'],
    ['DEFAULT_SEGMENT_SIZE', 'number'],
    ['DEFAULT_IN_FLIGHT', 'number'],
  ]
    .filter(([name, type]) => typeof mod[name as string] !== type)
    .map(([name]) => name);
  if (missing.length > 0) return `@sealstream/aead does not export ${missing.join(', ')} yet`;
  return mod as unknown as AeadApi;
}

/** Compile-time check (`pnpm typecheck`): the package still offers what {@link AeadApi} describes. */
export const fitsAeadApi = (m: typeof AeadModule): AeadApi => m;
