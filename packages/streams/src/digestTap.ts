import { sha256 } from '@noble/hashes/sha2.js';

/**
 * An incremental hash. `digest()` is called once, after the last `update()`.
 * Pass a node:crypto hash in Node (about 20× faster than the pure-JS default).
 */
export interface Hasher {
  update(bytes: Uint8Array): void;
  digest(): Uint8Array | Promise<Uint8Array>;
}

/**
 * A pure-JS SHA-256 {@link Hasher} (@noble/hashes): portable, slow (~80 MB/s here).
 *
 * @example
 * ```ts
 * import { encodeHex, sha256Hasher } from '@sealstream/streams';
 * const h = sha256Hasher();
 * h.update(new TextEncoder().encode('abc'));
 * console.assert(encodeHex(await h.digest()).startsWith('ba7816bf'));
 * ```
 */
export function sha256Hasher(): Hasher {
  const h = sha256.create();
  return { update: (bytes) => void h.update(bytes), digest: () => h.digest() };
}

/** A pass-through byte stream that hashes what flows through it. */
export interface DigestTapStream extends TransformStream<Uint8Array, Uint8Array> {
  /**
   * Resolves with the digest once the stream has ended; rejects if the stream errors or is
   * cancelled. (A rejection nobody awaits is not reported as unhandled.)
   */
  readonly digest: Promise<Uint8Array>;
}

/**
 * A pass-through `TransformStream` that feeds every chunk to `hasher` and exposes the digest as
 * a promise that settles when the stream ends. Chunks are passed on untouched.
 *
 * @param hasher - the incremental hash; default {@link sha256Hasher}. Node callers pass e.g.
 *   `(() => { const h = createHash('sha256'); return { update: (b) => h.update(b), digest: () => h.digest() }; })()`.
 *
 * @example
 * ```ts
 * import { collect, digestTap, encodeHex, fromBytes } from '@sealstream/streams';
 * const tap = digestTap();
 * await collect(fromBytes(new TextEncoder().encode('abc')).pipeThrough(tap));
 * console.assert(encodeHex(await tap.digest) === 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
 * ```
 */
export function digestTap(hasher: Hasher = sha256Hasher()): DigestTapStream {
  if (
    hasher === null ||
    typeof hasher !== 'object' ||
    typeof hasher.update !== 'function' ||
    typeof hasher.digest !== 'function'
  ) {
    throw new TypeError(
      'Cannot construct digestTap as hasher must have update() and digest() methods',
    );
  }
  let resolve!: (d: Uint8Array) => void;
  let reject!: (e: unknown) => void;
  const digest = new Promise<Uint8Array>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  digest.catch(() => {});
  // `cancel` is in the Streams standard (and Node 20) but not yet in TypeScript's DOM types.
  const transformer: Transformer<Uint8Array, Uint8Array> & { cancel(reason: unknown): void } = {
    transform(chunk, controller) {
      if (!(chunk instanceof Uint8Array)) {
        const error = new TypeError('digestTap: every chunk must be a Uint8Array');
        reject(error);
        throw error;
      }
      try {
        hasher.update(chunk);
      } catch (error) {
        reject(error);
        throw error;
      }
      controller.enqueue(chunk);
    },
    async flush() {
      try {
        resolve(await hasher.digest());
      } catch (error) {
        reject(error);
        throw error;
      }
    },
    cancel(reason) {
      reject(reason ?? new Error('digestTap: the stream was cancelled'));
    },
  };
  const stream = new TransformStream<Uint8Array, Uint8Array>(transformer);
  return Object.defineProperty(stream, 'digest', {
    value: digest,
    enumerable: true,
  }) as DigestTapStream;
}
