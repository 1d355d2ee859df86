import type { DecryptOptions } from '../decryptStream.ts';
import type { EncryptOptions } from '../encryptStream.ts';
import { type AeadError, decryptStream, encryptStream } from '../index.ts';
import { RANDOM_SOURCE } from '../testHook.ts';

/** A deterministic byte pattern of length n. */
export function pattern(n: number, seed = 0): Uint8Array {
  const out = new Uint8Array(n);
  let x = (seed * 2654435761 + 12345) >>> 0;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** Splits bytes into chunks of the given sizes (cycled). */
export function split(bytes: Uint8Array, sizes: readonly number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let o = 0;
  let i = 0;
  while (o < bytes.length) {
    const n = Math.max(1, sizes[i++ % sizes.length] as number);
    out.push(bytes.slice(o, o + n));
    o += n;
  }
  return out;
}

/** A stream of the given chunks. */
export function streamOf(chunks: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (i < chunks.length) c.enqueue(chunks[i++] as Uint8Array);
      else c.close();
    },
  });
}

/** Options making encryptStream deterministic (fixed salt and nonce prefix). */
export function fixedRandom(
  options: EncryptOptions,
  salt: Uint8Array,
  prefix: Uint8Array,
): EncryptOptions {
  return {
    ...options,
    [RANDOM_SOURCE]: (n: number) => {
      if (n === salt.length) return salt.slice();
      if (n === prefix.length) return prefix.slice();
      throw new Error(`unexpected random request of ${n} bytes`);
    },
  } as EncryptOptions;
}

/** Runs chunks through a transform; returns what came out (as one array) and the error, if any. */
export async function runThrough(
  transform: TransformStream<Uint8Array, Uint8Array>,
  chunks: readonly Uint8Array[],
): Promise<{ output: Uint8Array; chunks: Uint8Array[]; error: unknown }> {
  const received: Uint8Array[] = [];
  let error: unknown;
  try {
    await streamOf(chunks)
      .pipeThrough(transform)
      .pipeTo(new WritableStream({ write: (c) => void received.push(c.slice()) }));
  } catch (e) {
    error = e;
  }
  const output = new Uint8Array(received.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of received) {
    output.set(c, o);
    o += c.length;
  }
  return { output, chunks: received, error };
}

export async function seal(
  key: Uint8Array,
  chunks: readonly Uint8Array[],
  options: EncryptOptions = {},
) {
  const r = await runThrough(encryptStream(key, options), chunks);
  if (r.error !== undefined) throw r.error;
  return r.output;
}

export async function open(
  key: Uint8Array,
  chunks: readonly Uint8Array[],
  options: DecryptOptions = {},
) {
  return runThrough(decryptStream(key, options), chunks);
}

export function codeOf(error: unknown): string | undefined {
  return (error as AeadError | undefined)?.code;
}

/** XORs `mask` into the byte of `bytes` at `at` (a tampered copy's one changed byte). */
export function flip(bytes: Uint8Array, at: number, mask = 1): void {
  bytes[at] = (bytes[at] as number) ^ mask;
}
