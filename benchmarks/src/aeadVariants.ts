import { Writable } from 'node:stream';
import type { AeadCase } from './aeadCases.ts';
import type { AgePeer } from './agePeer.ts';
import type { AwsConfig, AwsPeer } from './awsPeer.ts';
import { collect, discardSink, nodeSource, verifyingSink, webSource } from './byteStreams.ts';
import type { AeadApi, DecryptOptions, EncryptOptions } from './loadAead.ts';
import { openSegments, type SealedSegments, sealSegments } from './nodeGcmCeiling.ts';
import type { Variant } from './runPairedRounds.ts';

/** Associated data given to every sealstream stream, as a backup would (it names the object). */
export const BENCH_AD = new TextEncoder().encode('2026/11/28-010000.00/data/bench.bin');

/** The `encryptStream` options of a case, without `undefined` members. */
export function encryptOptions(c: AeadCase): EncryptOptions {
  const o: EncryptOptions = { associatedData: BENCH_AD };
  if (c.engine !== undefined) o.engine = c.engine;
  if (c.segmentSize !== undefined) o.segmentSize = c.segmentSize;
  if (c.inFlight !== undefined) o.inFlight = c.inFlight;
  return o;
}

/** The `decryptStream` options of a case, without `undefined` members. */
export function decryptOptions(c: AeadCase): DecryptOptions {
  const o: DecryptOptions = { associatedData: BENCH_AD };
  if (c.engine !== undefined) o.engine = c.engine;
  if (c.inFlight !== undefined) o.inFlight = c.inFlight;
  return o;
}

/** Seals `input` with a case's options and collects the ciphertext (untimed preparation). */
export function sealWith(
  aead: AeadApi,
  key: Uint8Array,
  input: Uint8Array,
  c: AeadCase,
): Promise<Uint8Array> {
  return collect(webSource(input).pipeThrough(aead.encryptStream(key, encryptOptions(c))));
}

/**
 * Streams `input` (64 KiB chunks) through `encryptStream` into a discarding sink. The check
 * seals 2.5 segments with the case's options and opens them with the same engine.
 *
 * @example
 * ```ts
 * // see aead.bench.ts: encryptVariant(aead, key, input, DEFAULT_CASE, 'encrypt default')
 * ```
 */
export function encryptVariant(
  aead: AeadApi,
  key: Uint8Array,
  input: Uint8Array,
  c: AeadCase,
  name: string,
): Variant {
  return {
    name,
    bytes: input.byteLength,
    async run() {
      const sink = discardSink();
      await webSource(input)
        .pipeThrough(aead.encryptStream(key, encryptOptions(c)))
        .pipeTo(sink.writable);
      if (sink.bytes() <= input.byteLength)
        throw new Error(`${name}: ciphertext shorter than the plaintext`);
    },
    async check() {
      const slice = input.subarray(
        0,
        Math.floor(2.5 * (c.segmentSize ?? aead.DEFAULT_SEGMENT_SIZE)),
      );
      const sealed = await sealWith(aead, key, slice, c);
      await webSource(sealed)
        .pipeThrough(aead.decryptStream(key, decryptOptions(c)))
        .pipeTo(verifyingSink(slice));
    },
  };
}

/** Streams `ciphertext` (64 KiB chunks) through `decryptStream`; the check compares the output with `plaintext`. */
export function decryptVariant(
  aead: AeadApi,
  key: Uint8Array,
  ciphertext: Uint8Array,
  plaintext: Uint8Array,
  c: AeadCase,
  name: string,
): Variant {
  return {
    name,
    bytes: plaintext.byteLength,
    async run() {
      const sink = discardSink();
      await webSource(ciphertext)
        .pipeThrough(aead.decryptStream(key, decryptOptions(c)))
        .pipeTo(sink.writable);
      if (sink.bytes() !== plaintext.byteLength)
        throw new Error(`${name}: wrong plaintext length ${sink.bytes()}`);
    },
    async check() {
      await webSource(ciphertext)
        .pipeThrough(aead.decryptStream(key, decryptOptions(c)))
        .pipeTo(verifyingSink(plaintext));
    },
  };
}

/** The same source and sink with nothing between them: what the stream plumbing alone costs. */
export function plumbingVariant(input: Uint8Array, name: string): Variant {
  return {
    name,
    bytes: input.byteLength,
    async run() {
      const sink = discardSink();
      await webSource(input).pipeTo(sink.writable);
      if (sink.bytes() !== input.byteLength) throw new Error(`${name}: lost bytes`);
    },
  };
}

/** The encryption ceiling: raw node:crypto AES-256-GCM, one-shot per 1 MiB segment. */
export function ceilingEncryptVariant(
  key: Uint8Array,
  input: Uint8Array,
  name: string,
  piece?: number,
): Variant {
  return {
    name,
    bytes: input.byteLength,
    run() {
      if (sealSegments(input, key, undefined, piece) !== input.byteLength)
        throw new Error(`${name}: short output`);
    },
  };
}

/** The decryption ceiling over segments sealed once beforehand. */
export function ceilingDecryptVariant(
  key: Uint8Array,
  sealed: SealedSegments,
  name: string,
  piece?: number,
): Variant {
  return {
    name,
    bytes: sealed.plaintextBytes,
    run() {
      if (openSegments(sealed, key, piece) !== sealed.plaintextBytes)
        throw new Error(`${name}: short output`);
    },
  };
}

/** age-encryption's stream encryption of the same bytes. */
export function ageEncryptVariant(age: AgePeer, input: Uint8Array, name: string): Variant {
  return {
    name,
    bytes: input.byteLength,
    async run() {
      const sink = discardSink();
      await (await age.encrypt(webSource(input))).pipeTo(sink.writable);
      if (sink.bytes() <= input.byteLength) throw new Error(`${name}: short output`);
    },
  };
}

/** age-encryption's stream decryption of a ciphertext of the same bytes. */
export function ageDecryptVariant(
  age: AgePeer,
  ciphertext: Uint8Array,
  plaintext: Uint8Array,
  name: string,
): Variant {
  return {
    name,
    bytes: plaintext.byteLength,
    async run() {
      const sink = discardSink();
      await (await age.decrypt(webSource(ciphertext))).pipeTo(sink.writable);
      if (sink.bytes() !== plaintext.byteLength) throw new Error(`${name}: wrong plaintext length`);
    },
    async check() {
      await (await age.decrypt(webSource(ciphertext))).pipeTo(verifyingSink(plaintext));
    },
  };
}

/** @aws-crypto/client-node's encryptStream of the same bytes (Node streams, 64 KiB chunks). */
export function awsEncryptVariant(aws: AwsPeer, config: AwsConfig, input: Uint8Array): Variant {
  return {
    name: `${config.label} enc`,
    bytes: input.byteLength,
    async run() {
      const sink = discardSink();
      await aws.encrypt(config, nodeSource(input), sink.nodeWritable());
      if (sink.bytes() <= input.byteLength) throw new Error(`${config.label}: short output`);
    },
  };
}

/** @aws-crypto/client-node's decryptStream of a ciphertext of the same bytes. */
export function awsDecryptVariant(
  aws: AwsPeer,
  label: string,
  ciphertext: Uint8Array,
  plaintext: Uint8Array,
): Variant {
  return {
    name: `${label} dec`,
    bytes: plaintext.byteLength,
    async run() {
      const sink = discardSink();
      await aws.decrypt(nodeSource(ciphertext), sink.nodeWritable());
      if (sink.bytes() !== plaintext.byteLength)
        throw new Error(`${label}: wrong plaintext length`);
    },
  };
}

/** Collects an AWS Encryption SDK ciphertext of `input` (untimed preparation). */
export async function awsSeal(
  aws: AwsPeer,
  config: AwsConfig,
  input: Uint8Array,
): Promise<Uint8Array> {
  const parts: Buffer[] = [];
  await aws.encrypt(
    config,
    nodeSource(input),
    new Writable({
      write(chunk: Buffer, _e, cb) {
        parts.push(chunk);
        cb();
      },
    }),
  );
  return new Uint8Array(Buffer.concat(parts));
}
