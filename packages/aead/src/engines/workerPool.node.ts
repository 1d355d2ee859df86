/// <reference types="node" />
import { availableParallelism } from 'node:os';
import {
  MessageChannel,
  type MessagePort,
  receiveMessageOnPort,
  Worker,
} from 'node:worker_threads';
import { plain } from './pieces.ts';

/**
 * The worker's module, next to this one: `sealWorker.node.js` in the built package. From sources
 * (this file is `.ts`) a small entry registers a TypeScript loader in the worker first, since
 * Node 20 cannot load `.ts` without one (docs/decisions/0014-seal-worker-module.md).
 */
const WORKER_URL = import.meta.url.endsWith('.ts')
  ? new URL('./sealWorker.sources.mjs', import.meta.url)
  : new URL('./sealWorker.node.js', import.meta.url);

/**
 * A job's worker thread died (or never started: a preload module that fails in workers, a
 * resource limit) before it answered. The job itself is intact: its caller still holds the input
 * and can do the work on its own thread.
 */
export class WorkerLostError extends Error {
  constructor(cause: unknown) {
    super(
      `the AES-GCM worker thread was lost: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.name = 'WorkerLostError';
  }
}

interface Pending {
  resolve: (v: { outs: Uint8Array[]; tag?: Uint8Array } | null) => void;
  reject: (e: unknown) => void;
}

interface Slot {
  worker: Worker;
  /** Where the worker's replies arrive; also read synchronously by {@link WorkerPool.takeReplies}. */
  replies: MessagePort;
  pending: Map<number, Pending>;
}

/** A job sent to the worker (sealWorker.node.ts). */
export interface Job {
  id: number;
  op: 'seal' | 'open' | 'sealEach';
  key: Uint8Array;
  nonce: Uint8Array;
  /** The input, transferred: `length` bytes from offset 0. */
  buf: ArrayBuffer;
  length: number;
  aad: Uint8Array | undefined;
  /** `sealEach` only: the lengths of the messages' plaintexts, then of their aads, in `buf`. */
  lengths?: Uint32Array;
}

/** The worker's answer to a {@link Job}: `ok: false` when authentication failed, `error` when the job threw. */
export interface Reply {
  id: number;
  ok?: boolean;
  outs?: Uint8Array[];
  tag?: Uint8Array;
  buf?: ArrayBuffer;
  error?: string;
}

/**
 * A lazily started pool of worker threads doing AES-256-GCM with node:crypto, so segments in
 * flight use every core while the main thread runs the stream plumbing. Idle workers do not keep
 * the process alive.
 */
export class WorkerPool {
  readonly size: number;
  #slots: Slot[] = [];
  #next = 0;
  #id = 0;
  /** Input buffers the workers sent back, for reuse. */
  #free: ArrayBuffer[] = [];

  constructor(size: number) {
    this.size = size;
  }

  /** Jobs sent and not yet answered, over every worker. */
  get pending(): number {
    let n = 0;
    for (const s of this.#slots) n += s.pending.size;
    return n;
  }

  /**
   * Settles, synchronously, the jobs whose replies already arrived but that the event loop has not
   * delivered yet. A stream pipeline can run for many segments without yielding to the event loop,
   * and until then sees a finished worker as busy.
   */
  takeReplies(): void {
    for (const s of this.#slots)
      for (
        let r = receiveMessageOnPort(s.replies);
        r !== undefined;
        r = receiveMessageOnPort(s.replies)
      )
        this.#settle(s, r.message as Reply);
  }

  #settle(slot: Slot, m: Reply): void {
    if (m.buf !== undefined) this.#release(m.buf);
    const p = slot.pending.get(m.id);
    if (p === undefined) return;
    slot.pending.delete(m.id);
    if (slot.pending.size === 0) slot.worker.unref();
    if (m.error !== undefined) p.reject(new Error(`AES-GCM worker: ${m.error}`));
    else if (m.ok !== true) p.resolve(null);
    else
      p.resolve({
        outs: (m.outs as Uint8Array[]).map(plain),
        ...(m.tag ? { tag: plain(m.tag) } : {}),
      });
  }

  /** Starts the first worker now (throws where worker threads are unavailable). */
  start(): void {
    if (this.#slots.length === 0) this.#slot();
  }

  #slot(): Slot {
    if (this.#slots.length < this.size) {
      const { port1: replies, port2 } = new MessageChannel();
      const worker = new Worker(WORKER_URL, {
        name: 'sealstream-aes-gcm',
        // Not the parent's flags: loaders (`--import tsx`) only slow the start, and the worker
        // needs node: built-ins and its sibling modules alone.
        execArgv: [],
        // What a job leaves on the worker's heap is garbage at once (a cipher object per message;
        // the data are ArrayBuffers outside the heap): a young generation of V8's default size
        // (up to 48 MiB) only holds more of it. Sealing a pack's small blobs took 30 MiB of RSS.
        resourceLimits: { maxYoungGenerationSizeMb: 2 },
        workerData: { replies: port2 },
        transferList: [port2],
      });
      const slot: Slot = { worker, replies, pending: new Map() };
      worker.unref();
      replies.on('message', (m: Reply) => this.#settle(slot, m));
      // after on('message'), which refs the port: the worker itself is ref'd while a job is pending
      replies.unref();
      const fail = (cause: unknown) => {
        this.#slots = this.#slots.filter((s) => s !== slot);
        const error = new WorkerLostError(cause);
        for (const p of slot.pending.values()) p.reject(error);
        slot.pending.clear();
        replies.close();
      };
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`it exited with code ${code}`)));
      this.#slots.push(slot);
      return slot;
    }
    // Least loaded, ties round-robin.
    let best = this.#slots[this.#next++ % this.#slots.length] as Slot;
    for (const s of this.#slots) if (s.pending.size < best.pending.size) best = s;
    return best;
  }

  /**
   * A plain ArrayBuffer to copy a job's input into, transferred to the worker and back. Not a
   * SharedArrayBuffer: with one, the copy cost the calling thread about as much as opening the
   * segment itself, and offloading lost to the calling thread alone; with transferred buffers it
   * wins (docs/decisions/0006-node-engine-shares-segments.md).
   */
  #take(length: number): ArrayBuffer {
    const i = this.#free.findIndex((b) => b.byteLength >= length && b.byteLength <= 2 * length);
    if (i >= 0) return this.#free.splice(i, 1)[0] as ArrayBuffer;
    return new ArrayBuffer(length);
  }

  #release(buf: ArrayBuffer): void {
    if (this.#free.length < 2 * this.size + 4) this.#free.push(buf);
  }

  /**
   * Seals or opens the concatenation of `pieces` in a worker. `null`: authentication failed.
   * With `sealEach`, seals several messages in one job: `nonce` is their nonces one after the
   * other, `pieces` their plaintexts then their aads, `lengths` the lengths of those pieces; the
   * one output is every message sealed, one after the other.
   */
  run(
    op: 'seal' | 'open' | 'sealEach',
    key: Uint8Array,
    nonce: Uint8Array,
    pieces: readonly Uint8Array[],
    aad: Uint8Array | undefined,
    lengths?: Uint32Array,
  ): Promise<{ outs: Uint8Array[]; tag?: Uint8Array } | null> {
    let length = 0;
    for (const p of pieces) length += p.length;
    const buf = this.#take(Math.max(1, length));
    const view = new Uint8Array(buf);
    let o = 0;
    for (const p of pieces) {
      view.set(p, o);
      o += p.length;
    }
    const slot = this.#slot();
    const id = this.#id++;
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      if (slot.pending.size === 1) slot.worker.ref();
      const job: Job = {
        id,
        op,
        key,
        nonce,
        buf,
        length,
        aad: aad !== undefined && aad.length > 0 ? aad : undefined,
        ...(lengths === undefined ? {} : { lengths }),
      };
      slot.worker.postMessage(job, [buf]);
    });
  }
}

/**
 * Workers to start by default: one per core besides the calling thread's, at most 3 (none on
 * one core). The calling thread seals too whenever the workers are busy, so on 2 cores one
 * worker keeps both cores sealing; a second one measured no faster and costs another isolate's
 * memory (docs/decisions/0008-worker-replies-at-the-event-loop.md).
 */
export function defaultWorkerCount(): number {
  const cores = availableParallelism();
  return Math.max(0, Math.min(3, cores - 1));
}
