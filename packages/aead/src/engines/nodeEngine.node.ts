/// <reference types="node" />
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import type { AeadEngine, SegmentCipher } from '../AeadEngine.ts';
import { checkBatch, openPieces, sealEachInto, sealPieces } from './nodeCipher.node.ts';
import { checkInfo } from './pieces.ts';
import { defaultWorkerCount, WorkerLostError, WorkerPool } from './workerPool.node.ts';

export { defaultWorkerCount };

/** Options of {@link createNodeEngine}. */
export interface NodeEngineOptions {
  /**
   * Worker threads that seal and open segments beside the calling thread. Default
   * {@link defaultWorkerCount}: one per core besides the calling thread's, at most 3. 0 keeps
   * everything on the calling thread.
   */
  workers?: number;
}

/**
 * How the engine shares segments with its workers. Not options: the package uses
 * {@link NODE_ENGINE_TUNING}; the package's own tests change it through
 * {@link createTunedNodeEngine}, which the package does not export.
 */
export interface NodeEngineTuning {
  /** Segments of at least this many bytes may go to a worker; smaller ones are sealed and opened on the calling thread. */
  readonly offloadBytes: number;
  /** Whether opening (decryption) is shared with the workers like sealing. */
  readonly offloadDecrypt: boolean;
  /** Jobs pending per worker before the calling thread takes the next segment itself. */
  readonly queuePerWorker: number;
  /**
   * Whether to take replies that already arrived, synchronously, before deciding where a segment
   * goes; otherwise they are taken when the event loop delivers them.
   */
  readonly eagerReplies: boolean;
}

/** The tuning of every engine the package makes (docs/decisions/0006, 0007, 0008). */
export const NODE_ENGINE_TUNING: NodeEngineTuning = {
  offloadBytes: 256 * 1024,
  offloadDecrypt: true,
  queuePerWorker: 1,
  eagerReplies: false,
};

function total(pieces: readonly Uint8Array[]): number {
  let n = 0;
  for (const p of pieces) n += p.length;
  return n;
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

/**
 * A node:crypto engine. On the calling thread each input piece goes straight to `update()`, in
 * views of at most 64 KiB (segments are never joined; decryption holds a segment's plaintext
 * pieces until `final()` verified the tag). With more than one segment in flight, a segment of
 * 256 KiB or more goes to a worker thread if fewer jobs are pending than there are workers, and is
 * sealed or opened on the calling thread otherwise: the workers and the calling thread share the
 * work, sealing and opening alike. Bytes are identical either way. A worker that dies or cannot
 * start (say, a `NODE_OPTIONS` preload that fails in workers) costs speed, not data: its jobs are
 * redone on the calling thread, which does all the work from then on, and one process warning
 * (`SEALSTREAM_WORKER_LOST`) says so.
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
  return createTunedNodeEngine(options, NODE_ENGINE_TUNING);
}

/**
 * {@link createNodeEngine} with a {@link NodeEngineTuning} other than the package's; for the
 * package's own tests (say, sending even the smallest segment to a worker). Not exported by the
 * package.
 */
export function createTunedNodeEngine(
  options: NodeEngineOptions,
  tuning: Partial<NodeEngineTuning>,
): AeadEngine {
  const workers = options.workers ?? defaultWorkerCount();
  const { offloadBytes, offloadDecrypt, queuePerWorker, eagerReplies } = {
    ...NODE_ENGINE_TUNING,
    ...tuning,
  };
  if (!Number.isSafeInteger(workers) || workers < 0 || workers > 64) {
    throw new RangeError(
      `createNodeEngine: workers must be an integer in [0, 64], received ${workers}`,
    );
  }
  if (!Number.isSafeInteger(queuePerWorker) || queuePerWorker < 1) {
    throw new RangeError(`queuePerWorker must be a positive integer, received ${queuePerWorker}`);
  }
  if (!Number.isSafeInteger(offloadBytes) || offloadBytes < 0) {
    throw new RangeError(`offloadBytes must be a non-negative integer, received ${offloadBytes}`);
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
      pool ??= new WorkerPool(workers);
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
  /** Whether the pool can take another job now. */
  const hasRoom = (pool: WorkerPool): boolean => {
    if (eagerReplies) pool.takeReplies();
    return pool.pending < workers * queuePerWorker;
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
          if (pool === undefined || !hasRoom(pool))
            return sealPieces(keyHere(), nonce, plaintext, aad);
          return inPool(
            pool.run('seal', raw, nonce, plaintext, aad).then((r) => {
              const { outs, tag } = r as { outs: Uint8Array[]; tag: Uint8Array };
              return [...outs, tag];
            }),
            () => sealPieces(keyHere(), nonce, plaintext, aad),
          );
        },
        async sealEach(out, batch) {
          checkBatch(out, batch);
          const here = () => sealEachInto(keyHere(), out, batch);
          // Many short messages are one job for a worker, whatever the inFlight hint says.
          const n = batch.plaintextLengths.length;
          const pool = workers > 0 && n > 1 ? getPool() : undefined;
          if (pool === undefined || !hasRoom(pool)) return here();
          const lengths = new Uint32Array(2 * n);
          lengths.set(batch.plaintextLengths);
          lengths.set(batch.aadLengths, n);
          const job = pool
            .run('sealEach', raw, batch.nonces, [batch.plaintexts, batch.aads], undefined, lengths)
            .then((r) => out.set((r as { outs: Uint8Array[] }).outs[0] as Uint8Array));
          return inPool(job, here);
        },
        open(nonce, ciphertext, aad) {
          const pool = offloadDecrypt && offload(ciphertext) ? getPool() : undefined;
          if (pool === undefined || total(ciphertext) < 16 || !hasRoom(pool))
            return openPieces(keyHere(), nonce, ciphertext, aad);
          return inPool(
            pool.run('open', raw, nonce, ciphertext, aad).then((r) => (r === null ? null : r.outs)),
            () => openPieces(keyHere(), nonce, ciphertext, aad),
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
