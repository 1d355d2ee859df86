import { argon2idAsync } from '@noble/hashes/argon2.js';
import { argon2id } from 'hash-wasm';
import { KdfError } from './KdfError.ts';

/** Engines that compute Argon2id. */
export type Argon2Engine = 'hash-wasm' | 'noble';

/** Cost parameters of {@link argon2idHash}. */
export interface Argon2Cost {
  memoryKiB: number;
  iterations: number;
  parallelism: number;
  /** Output length in bytes (4 or more). */
  length: number;
}

/**
 * Argon2id v1.3 (RFC 9106) of `password` and `salt`, without secret or associated data. The
 * primitive behind {@link deriveKey}: no bounds, no normalisation; the password must not be empty. `hash-wasm` (the default) is
 * about 4× faster than `noble` (@noble/hashes, pure JS); both give identical bytes (tested). With
 * no `engine` given, `noble` is used where WebAssembly cannot be compiled at run time (workerd).
 *
 * @example
 * ```ts
 * import { argon2idHash } from '@sealstream/kdf';
 * const tag = await argon2idHash(new Uint8Array(8), new Uint8Array(16), { memoryKiB: 64, iterations: 1, parallelism: 1, length: 32 });
 * console.log(tag.length); // 32
 * ```
 */
export async function argon2idHash(
  password: Uint8Array,
  salt: Uint8Array,
  cost: Argon2Cost,
  engine?: Argon2Engine,
): Promise<Uint8Array> {
  const { memoryKiB, iterations, parallelism, length } = cost;
  if (password.length === 0) {
    throw new RangeError('argon2idHash: the password is empty (hash-wasm refuses empty passwords)');
  }
  if (engine === 'noble') {
    return argon2idAsync(password, salt, {
      m: memoryKiB,
      t: iterations,
      p: parallelism,
      dkLen: length,
      maxmem: memoryKiB * 1024 + 1024 * 1024,
    });
  }
  if (engine === undefined) {
    try {
      return await argon2idHash(password, salt, cost, 'hash-wasm');
    } catch (e) {
      // Cloudflare Workers (workerd) forbid compiling WebAssembly at run time ("Wasm code
      // generation disallowed by embedder"): use the pure-JS engine there.
      if (e instanceof WebAssembly.CompileError) return argon2idHash(password, salt, cost, 'noble');
      throw e;
    }
  }
  if (engine !== 'hash-wasm') {
    throw new KdfError(
      'ERR_KDF_ENGINE_UNAVAILABLE',
      `argon2id has no engine ${JSON.stringify(engine)}; use "hash-wasm" or "noble"`,
    );
  }
  return argon2id({
    password,
    salt,
    iterations,
    parallelism,
    memorySize: memoryKiB,
    hashLength: length,
    outputType: 'binary',
  });
}
