/// <reference types="node" />
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  type KeyObject,
} from 'node:crypto';
import type { AeadEngine, SegmentCipher } from '../AeadEngine.ts';
import { checkInfo, plain, splitTail } from './pieces.ts';
import { defaultWorkerCount, WorkerLostError, WorkerPool } from './workerPool.node.ts';

export { defaultWorkerCount };

/** Options of {@link createNodeEngine}. */
export interface NodeEngineOptions {
  /**
   * Worker threads that seal segments beside the calling thread. Default
   * {@link defaultWorkerCount}: one per core besides the calling thread's, at most 3. 0 keeps
   * everything on the calling thread.
   */
  workers?: number;
  /** Segments of at least this many bytes may go to a worker (smaller ones cost more to send than to seal). Default 256 KiB. */
  offloadBytes?: number;
  /**
   * Also open (decrypt) segments in workers, shared the same way as sealing. Default true: it
   * opened 1.07–1.24× faster than the calling thread alone in paired runs (docs/decisions/0007-transferred-buffers-and-shared-opening.md).
   */
  offloadDecrypt?: boolean;
  /**
   * Segments waiting per worker before the calling thread seals the next one itself instead of
   * queueing it (default 1). The calling thread never idles while the workers are busy, and a
   * segment goes to a worker only when one is about to be free.
   */
  queuePerWorker?: number;
  /**
   * Take a worker's finished reply as soon as the next segment is dispatched, instead of when the
   * stream next yields to the event loop. Default false. A pipeline whose source and sink answer
   * at once runs many segments without yielding, so by default a worker gets about one segment
   * per `inFlight`; with this it gets about half, and streams ran about 1.2–1.3× faster in paired
   * runs on 2 cores. The price is memory: the worker's outputs arrive by transfer, and V8
   * reclaims such buffers only in full collections, so peak RSS streaming 1 GiB rose from about
   * +52 to +66–83 MiB (docs/decisions/0008-worker-replies-at-the-event-loop.md).
   */
  eagerReplies?: boolean;
}

function total(pieces: readonly Uint8Array[]): number {
  let n = 0;
  for (const p of pieces) n += p.length;
  return n;
}

/**
 * Largest input of one `update()`. Its output is a fresh buffer of the same size: at 64 KiB the
 * allocator recycles freed heap memory, while a 1 MiB output is a new mmap that page-faults on
 * every 4 KiB (about a third of the cost of sealing it; docs/decisions/0009-buffers-on-the-hot-path.md).
 */
const UPDATE_BYTES = 64 * 1024;

/** Feeds `pieces` to `cipher.update()` in views of at most {@link UPDATE_BYTES} (no copy); returns the outputs. */
function updateAll(
  cipher: { update(data: Uint8Array): Uint8Array },
  pieces: readonly Uint8Array[],
): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const p of pieces)
    for (let o = 0; o < p.length; o += UPDATE_BYTES)
      out.push(plain(cipher.update(p.subarray(o, o + UPDATE_BYTES))));
  return out;
}

/**
 * HKDF-SHA256 (RFC 5869) on node:crypto's HMAC: PRK = HMAC(salt, IKM), then T(i) = HMAC(PRK,
 * T(i−1) ‖ info ‖ i). `hkdfSync` computes the same bytes but makes a KeyObject of the IKM on every
 * call, whose creation and collection cost a backup of many small blobs (one derivation each)
 * about a tenth of its CPU; HMAC keyed by bytes makes none. Checked against the Wycheproof
 * HKDF-SHA256 vectors with every engine.
 */
function hkdfHmac(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  const prk = createHmac('sha256', salt).update(ikm).digest();
  const out = new Uint8Array(length);
  let block: Uint8Array = new Uint8Array(0);
  for (let i = 1, offset = 0; offset < length; i++, offset += block.length) {
    block = createHmac('sha256', prk).update(block).update(info).update(Uint8Array.of(i)).digest();
    out.set(block.subarray(0, Math.min(block.length, length - offset)), offset);
  }
  prk.fill(0);
  return out;
}

function sealHere(
  k: KeyObject | Uint8Array,
  nonce: Uint8Array,
  plaintext: readonly Uint8Array[],
  aad?: Uint8Array,
): Uint8Array[] {
  const c = createCipheriv('aes-256-gcm', k, nonce);
  if (aad !== undefined && aad.length > 0) c.setAAD(aad);
  const out = updateAll(c, plaintext);
  c.final();
  out.push(plain(c.getAuthTag()));
  return out;
}

function openHere(
  k: KeyObject | Uint8Array,
  nonce: Uint8Array,
  ciphertext: readonly Uint8Array[],
  aad?: Uint8Array,
): Uint8Array[] | null {
  const split = splitTail(ciphertext, 16);
  if (split === null) return null;
  const d = createDecipheriv('aes-256-gcm', k, nonce, { authTagLength: 16 });
  d.setAuthTag(split.tail);
  if (aad !== undefined && aad.length > 0) d.setAAD(aad);
  const out = updateAll(d, split.body);
  try {
    d.final();
  } catch {
    for (const p of out) p.fill(0);
    return null;
  }
  return out;
}

/**
 * A node:crypto engine. On the calling thread each input piece goes straight to `update()`, in
 * views of at most 64 KiB (segments are never joined; decryption holds a segment's plaintext
 * pieces until `final()` verified the tag). When sealing with more than one segment in flight, a segment of
 * `offloadBytes` or more goes to a worker thread if one has room (`queuePerWorker`), and is
 * sealed on the calling thread otherwise: the workers and the calling thread share the work, so
 * both cores of a 2-core machine seal, and open (unless `offloadDecrypt` is false). Bytes are
 * identical either way. A worker that dies or cannot start (say, a `NODE_OPTIONS` preload that
 * fails in workers) costs speed, not data: its jobs are redone on the calling thread, which does
 * all the work from then on, and one process warning (`SEALSTREAM_WORKER_LOST`) says so.
 *
 * @example
 * ```ts
 * import { createNodeEngine, decrypt, encrypt } from '@sealstream/aead';
 * const engine = createNodeEngine({ workers: 0 }); // main thread only
 * const key = new Uint8Array(32);
 * const sealed = await encrypt(key, new Uint8Array([7]), { engine });
 * console.assert((await decrypt(key, sealed, { engine }))[0] === 7);
 * ```
 */
export function createNodeEngine(options: NodeEngineOptions = {}): AeadEngine {
  const workers = options.workers ?? defaultWorkerCount();
  const offloadBytes = options.offloadBytes ?? 256 * 1024;
  const offloadDecrypt = options.offloadDecrypt ?? true;
  const queuePerWorker = options.queuePerWorker ?? 1;
  if (!Number.isSafeInteger(workers) || workers < 0 || workers > 64) {
    throw new RangeError(
      `createNodeEngine: workers must be an integer in [0, 64], received ${workers}`,
    );
  }
  if (!Number.isSafeInteger(queuePerWorker) || queuePerWorker < 1) {
    throw new RangeError(
      `createNodeEngine: queuePerWorker must be a positive integer, received ${queuePerWorker}`,
    );
  }
  if (!Number.isSafeInteger(offloadBytes) || offloadBytes < 0) {
    throw new RangeError(
      `createNodeEngine: offloadBytes must be a non-negative integer, received ${offloadBytes}`,
    );
  }
  let pool: WorkerPool | undefined;
  let unavailable = false;
  /**
   * Runs a job in the pool; should the worker die first, does it here instead, and leaves the
   * workers alone from then on (with one warning): a worker that cannot run is a slowdown, never
   * a failed backup.
   */
  const inPool = <T>(job: Promise<T>, here: () => T): Promise<T> =>
    job.catch((error: unknown) => {
      if (!(error instanceof WorkerLostError)) throw error;
      if (!unavailable) {
        unavailable = true;
        process.emitWarning(
          `${error.message}; sealing and opening on the calling thread from now on`,
          {
            code: 'SEALSTREAM_WORKER_LOST',
          },
        );
      }
      return here();
    });
  /** The pool, or undefined where worker threads cannot start (then everything runs here). */
  const getPool = (): WorkerPool | undefined => {
    if (unavailable) return undefined;
    try {
      pool ??= new WorkerPool(workers, { eagerReplies: options.eagerReplies ?? false });
      pool.start();
      return pool;
    } catch (error) {
      unavailable = true;
      process.emitWarning(
        `worker threads cannot start (${error instanceof Error ? error.message : String(error)}); sealing and opening on the calling thread`,
        { code: 'SEALSTREAM_WORKER_LOST' },
      );
      return undefined;
    }
  };
  return {
    name: workers === 0 ? 'node' : `node+${workers}w`,
    async hkdf(ikm, salt, info, length) {
      if (!Number.isSafeInteger(length) || length < 1 || length > 255 * 32) {
        throw new RangeError(`hkdf: length must be in [1, 8160], received ${length}`);
      }
      checkInfo(info);
      return hkdfHmac(ikm, salt, info, length);
    },
    async createSegmentCipher(key, hints): Promise<SegmentCipher> {
      const raw = new Uint8Array(key);
      // A KeyObject spares node:crypto reading the key again for every segment, but making one
      // costs more than it saves for a stream of one segment (a small blob): made at second use.
      let k: KeyObject | Uint8Array = raw;
      let uses = 0;
      const keyHere = (): KeyObject | Uint8Array => {
        if (++uses === 2) k = createSecretKey(raw);
        return k;
      };
      // One segment at a time gains nothing from a thread hop; it only adds latency.
      const threads = workers > 0 && (hints?.inFlight ?? 2) > 1;
      const offload = (pieces: readonly Uint8Array[]) => threads && total(pieces) >= offloadBytes;
      return {
        seal(nonce, plaintext, aad) {
          const pool = offload(plaintext) ? getPool() : undefined;
          if (pool === undefined || pool.pending >= workers * queuePerWorker)
            return sealHere(keyHere(), nonce, plaintext, aad);
          return inPool(
            pool.run('seal', raw, nonce, plaintext, aad).then((r) => {
              const { outs, tag } = r as { outs: Uint8Array[]; tag: Uint8Array };
              return [...outs, tag];
            }),
            () => sealHere(keyHere(), nonce, plaintext, aad),
          );
        },
        open(nonce, ciphertext, aad) {
          const pool = offloadDecrypt && offload(ciphertext) ? getPool() : undefined;
          if (
            pool === undefined ||
            total(ciphertext) < 16 ||
            pool.pending >= workers * queuePerWorker
          )
            return openHere(keyHere(), nonce, ciphertext, aad);
          return inPool(
            pool.run('open', raw, nonce, ciphertext, aad).then((r) => (r === null ? null : r.outs)),
            () => openHere(keyHere(), nonce, ciphertext, aad),
          );
        },
      };
    },
  };
}

/**
 * The default engine in Node: {@link createNodeEngine} with its defaults (one worker per core
 * besides the calling thread's, sharing the sealing and opening of segments of 256 KiB or more
 * with it).
 *
 * @example
 * ```ts
 * import { decrypt, encrypt, nodeEngine } from '@sealstream/aead';
 * const key = new Uint8Array(32);
 * const sealed = await encrypt(key, new Uint8Array([7]), { engine: nodeEngine });
 * console.assert((await decrypt(key, sealed, { engine: nodeEngine }))[0] === 7);
 * ```
 */
export const nodeEngine: AeadEngine = createNodeEngine();
