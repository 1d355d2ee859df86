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
 * The worker's code, plain CommonJS evaluated in place (no file to resolve, so it works the same
 * from sources, from dist and in bundles). It seals or opens one AES-256-GCM message read from a
 * transferred ArrayBuffer and transfers the result back with that buffer, for reuse; plaintext is
 * sent only after the tag verified.
 */
const WORKER_SOURCE = `
const { parentPort: jobs, workerData } = require('node:worker_threads');
const replies = workerData.replies; // a MessagePort the calling thread can read synchronously
const { createCipheriv, createDecipheriv } = require('node:crypto');
const own = (b) => (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b : Uint8Array.prototype.slice.call(b));
// update() in 64 KiB steps: each output is then recycled heap memory, not a page-faulting mmap.
const STEP = 65536;
const run = (cipher, input) => {
  const outs = [];
  for (let o = 0; o < input.length; o += STEP) outs.push(own(cipher.update(input.subarray(o, o + STEP))));
  return outs;
};
jobs.on('message', (m) => {
  try {
    const input = new Uint8Array(m.buf, 0, m.length);
    if (m.op === 'seal') {
      const c = createCipheriv('aes-256-gcm', m.key, m.nonce);
      if (m.aad) c.setAAD(m.aad);
      const outs = run(c, input);
      c.final();
      const tag = c.getAuthTag();
      replies.postMessage({ id: m.id, ok: true, outs, tag, buf: m.buf }, [m.buf, ...outs.map((b) => b.buffer)]);
    } else {
      const n = m.length - 16;
      const d = createDecipheriv('aes-256-gcm', m.key, m.nonce, { authTagLength: 16 });
      d.setAuthTag(input.subarray(n));
      if (m.aad) d.setAAD(m.aad);
      const outs = run(d, input.subarray(0, n));
      try { d.final(); } catch { for (const b of outs) b.fill(0); replies.postMessage({ id: m.id, ok: false, buf: m.buf }, [m.buf]); return; }
      replies.postMessage({ id: m.id, ok: true, outs, buf: m.buf }, [m.buf, ...outs.map((b) => b.buffer)]);
    }
  } catch (e) {
    replies.postMessage({ id: m.id, error: String(e && e.message || e) });
  }
});
`;

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
  /** Where the worker's replies arrive; read synchronously by {@link WorkerPool.pending}. */
  replies: MessagePort;
  pending: Map<number, Pending>;
}

interface Reply {
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

  /** See {@link NodeEngineOptions.eagerReplies}. */
  readonly #eager: boolean;

  constructor(size: number, options: { eagerReplies?: boolean } = {}) {
    this.size = size;
    this.#eager = options.eagerReplies ?? false;
  }

  /**
   * Jobs sent and not yet answered, over every worker. With `eagerReplies`, replies that already
   * arrived are taken first, synchronously: a stream pipeline can run for many segments without
   * yielding to the event loop, and would otherwise see a finished worker as busy.
   */
  get pending(): number {
    let n = 0;
    for (const s of this.#slots) {
      if (this.#eager)
        for (
          let r = receiveMessageOnPort(s.replies);
          r !== undefined;
          r = receiveMessageOnPort(s.replies)
        )
          this.#settle(s, r.message as Reply);
      n += s.pending.size;
    }
    return n;
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
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        name: 'sealstream-aes-gcm',
        // Not the parent's flags: `--input-type=module` would make this CommonJS source fail,
        // and loaders (`--import tsx`) only slow the start; it needs node: built-ins alone.
        execArgv: [],
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

  /** Seals or opens the concatenation of `pieces` in a worker. `null`: authentication failed. */
  run(
    op: 'seal' | 'open',
    key: Uint8Array,
    nonce: Uint8Array,
    pieces: readonly Uint8Array[],
    aad: Uint8Array | undefined,
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
      slot.worker.postMessage(
        {
          id,
          op,
          key,
          nonce,
          buf,
          length,
          aad: aad !== undefined && aad.length > 0 ? aad : undefined,
        },
        [buf],
      );
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
